import CDevPayLibXML2

/// Collects libxml2's SAX events into an ``XMLTreeElement`` tree and enforces the ``XMLReadLimits``.
///
/// One builder serves one parse on one thread; libxml2 calls back synchronously from `xmlParseChunk`.
final class XMLTreeBuilder {
    private struct OpenElement {
        var localName: String
        var namespaceURI: String?
        var text: [UInt8] = []
        var children: [XMLTreeElement] = []
    }

    let limits: XMLReadLimits
    /// The parser this builder listens to, so a callback can stop it.
    var parser: xmlParserCtxtPtr?
    private var openElements: [OpenElement] = []
    private(set) var root: XMLTreeElement?
    private(set) var elementCount = 0
    /// A limit or policy the document broke; it outranks any syntax error that stopping the parser causes.
    private(set) var refusal: XMLReadError?
    /// The first error libxml2 reported.
    private(set) var firstProblem: XMLSyntaxProblem?

    init(limits: XMLReadLimits) {
        self.limits = limits
    }

    func refuse(_ reason: XMLReadError) {
        if refusal == nil {
            refusal = reason
        }
        if let parser {
            xmlStopParser(parser)
        }
    }

    func startElement(localName: String, namespaceURI: String?) {
        guard refusal == nil else { return }
        elementCount += 1
        if elementCount > limits.maximumElements {
            return refuse(.tooManyElements(limit: limits.maximumElements))
        }
        if openElements.count >= limits.maximumDepth {
            return refuse(.tooDeep(limit: limits.maximumDepth))
        }
        openElements.append(OpenElement(localName: localName, namespaceURI: namespaceURI))
    }

    func endElement() {
        guard refusal == nil, let closed = openElements.popLast() else { return }
        let element = XMLTreeElement(
            localName: closed.localName,
            namespaceURI: closed.namespaceURI,
            text: Self.trimmedString(closed.text),
            children: closed.children
        )
        if openElements.isEmpty {
            root = element
        } else {
            openElements[openElements.count - 1].children.append(element)
        }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard refusal == nil, !openElements.isEmpty else { return }
        let index = openElements.count - 1
        if openElements[index].text.count + bytes.count > limits.maximumTextBytes {
            return refuse(.textTooLong(limit: limits.maximumTextBytes))
        }
        openElements[index].text.append(contentsOf: bytes)
    }

    func report(_ error: xmlError) {
        guard firstProblem == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) } ?? "unknown error"
        firstProblem = XMLSyntaxProblem(
            code: Int(error.code),
            message: String(decoding: Self.trimmed(message.utf8), as: UTF8.self),
            line: Int(error.line),
            column: Int(error.int2)
        )
    }

    /// Drops XML white space (space, tab, CR, LF) from both ends; the guide's own sample answer indents
    /// every value on lines of its own.
    static func trimmedString(_ bytes: [UInt8]) -> String {
        String(decoding: trimmed(bytes), as: UTF8.self)
    }

    private static func trimmed<C: BidirectionalCollection<UInt8>>(_ bytes: C) -> C.SubSequence {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return bytes[bytes.endIndex...]
        }
        return bytes[first...last]
    }
}
