import CDevPayLibXML2

/// Reads a service answer into an ``XMLTreeElement`` tree with libxml2, hardened against hostile input.
///
/// - No network and no file access: `XML_PARSE_NONET`, no `XML_PARSE_DTDLOAD`, no `XML_PARSE_NOENT`, and
///   any `<!DOCTYPE …>` stops the parser before its internal subset is read, so no entity is ever declared,
///   let alone expanded (billion laughs, external entities). An undeclared entity is a syntax error.
/// - Bounded: the input size is checked before libxml2 sees it, and depth, element count and text per
///   element are checked as the parse goes (``XMLReadLimits``). `XML_PARSE_HUGE` is never set, so libxml2's
///   own limits stay on as well.
/// - Errors are typed (``XMLReadError``) and never quote element text.
public struct XMLReader: Sendable {
    /// The bounds every document must stay within.
    public var limits: XMLReadLimits

    /// Creates a reader with the given bounds.
    public init(limits: XMLReadLimits = XMLReadLimits()) {
        self.limits = limits
    }

    /// Parses `bytes` and returns the root element.
    public func read(_ bytes: [UInt8]) throws(XMLReadError) -> XMLTreeElement {
        // Array.withUnsafeBytes rethrows untyped errors, so the typed one travels in a Result.
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(XMLReadError) in try read(buffer) }
        }.get()
    }

    /// Parses the bytes in `buffer` and returns the root element.
    public func read(_ buffer: UnsafeRawBufferPointer) throws(XMLReadError) -> XMLTreeElement {
        guard buffer.count <= limits.maximumBytes else {
            throw .tooLarge(limit: limits.maximumBytes)
        }
        guard buffer.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            throw .empty
        }
        _ = Self.libraryInitialized
        let builder = XMLTreeBuilder(limits: limits)
        let retained = Unmanaged.passRetained(builder)
        defer { retained.release() }

        var handler = Self.saxHandler
        guard let parser = xmlCreatePushParserCtxt(&handler, retained.toOpaque(), nil, 0, nil) else {
            throw .malformed(XMLSyntaxProblem(code: -1, message: "libxml2 could not create a parser", line: 0, column: 0))
        }
        defer { xmlFreeParserCtxt(parser) }
        builder.parser = parser
        _ = xmlCtxtUseOptions(parser, Self.options)

        // Two steps tell a cut-off document from a broken one: the push parser holds back an unfinished
        // construct until it is told the input has ended, so errors raised only by that call mean truncation.
        var chunkStart = buffer.baseAddress?.assumingMemoryBound(to: CChar.self)
        var remaining = buffer.count
        while remaining > 0, builder.refusal == nil, builder.firstProblem == nil {
            // xmlParseChunk takes an Int32 length; the size cap keeps us far below, but stay correct anyway.
            let length = min(remaining, 1 << 30)
            _ = xmlParseChunk(parser, chunkStart, Int32(length), 0)
            chunkStart = chunkStart?.advanced(by: length)
            remaining -= length
        }
        let failedBeforeEnd = builder.refusal != nil || builder.firstProblem != nil
        if builder.refusal == nil {
            _ = xmlParseChunk(parser, nil, 0, 1)
        }

        if let refusal = builder.refusal {
            throw refusal
        }
        if let problem = builder.firstProblem {
            if !failedBeforeEnd && builder.root == nil {
                throw .truncated(line: problem.line, column: problem.column)
            }
            throw .malformed(problem)
        }
        guard let root = builder.root, parser.pointee.wellFormed != 0 else {
            throw .malformed(XMLSyntaxProblem(code: -1, message: "no complete root element", line: 0, column: 0))
        }
        return root
    }

    /// The parser options: deny the network, keep libxml2's own limits, and report errors only to us.
    /// Deliberately absent: `XML_PARSE_NOENT`, `XML_PARSE_DTDLOAD`, `XML_PARSE_DTDATTR`, `XML_PARSE_DTDVALID`,
    /// `XML_PARSE_XINCLUDE`, `XML_PARSE_HUGE`.
    private static let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

    /// libxml2 wants its global state set up once before parsers run on several threads.
    private static let libraryInitialized: Void = xmlInitParser()

    private static var saxHandler: xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { context, localName, _, namespaceURI, _, _, _, _, _ in
            guard let context, let localName else { return }
            treeBuilder(context).startElement(
                localName: String(cString: localName),
                namespaceURI: namespaceURI.map { String(cString: $0) }
            )
        }
        handler.endElementNs = { context, _, _, _ in
            guard let context else { return }
            treeBuilder(context).endElement()
        }
        handler.characters = { context, characters, length in
            guard let context, let characters, length > 0 else { return }
            treeBuilder(context).characters(UnsafeBufferPointer(start: characters, count: Int(length)))
        }
        handler.cdataBlock = handler.characters
        // Called with the DOCTYPE's name before its internal subset is read: stop right there.
        handler.internalSubset = { context, _, _, _ in
            guard let context else { return }
            treeBuilder(context).refuse(.documentTypeForbidden)
        }
        // Entities are never resolved; without this hook libxml2 would look them up in a DTD we refuse anyway.
        handler.getEntity = { _, _ in nil }
        handler.serror = { context, error in
            guard let context, let error else { return }
            treeBuilder(context).report(error.pointee)
        }
        return handler
    }
}

/// The builder behind libxml2's user-data pointer; `read` keeps it retained for the whole parse.
private func treeBuilder(_ context: UnsafeMutableRawPointer) -> XMLTreeBuilder {
    Unmanaged<XMLTreeBuilder>.fromOpaque(context).takeUnretainedValue()
}
