import CDevPayLibXML2

/// Writes a small document (a SOAP request) from an ``XMLTreeElement`` tree with libxml2's tree API, so
/// escaping and namespace declarations are libxml2's, not string concatenation.
///
/// Namespaces: an element in the namespace of a prefix given in `prefixes` is written with that prefix (the
/// prefix is declared where it is first used); any other namespace becomes the default namespace
/// (`xmlns="…"`) of the first element that uses it, and its children inherit it. An element without a
/// namespace under a default namespace is not supported (nothing we send needs one) and is written in
/// its parent's default namespace.
///
/// Output is UTF-8 with the XML declaration, no indentation: the same tree always gives the same bytes,
/// which is what the recorded request fixtures compare against.
public enum XMLWriter {
    /// The document for `root`.
    ///
    /// - Parameter prefixes: namespace URI → prefix, e.g. the SOAP envelope's namespace → `soapenv`.
    /// - Throws: ``XMLWriteError`` when a name is not a valid XML name or a text holds a character XML 1.0
    ///   cannot carry (never quoting the text).
    public static func document(_ root: XMLTreeElement, prefixes: [String: String] = [:]) throws(XMLWriteError) -> [UInt8] {
        try validate(root)
        guard let document = xmlNewDoc(chars("1.0")) else { throw .libraryFailure }
        defer { xmlFreeDoc(document) }
        guard let rootNode = makeNode(root, in: document, parent: nil, prefixes: prefixes) else { throw .libraryFailure }
        xmlDocSetRootElement(document, rootNode)

        var memory: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemoryEnc(document, &memory, &size, "UTF-8")
        guard let memory, size > 0 else { throw .libraryFailure }
        defer { devpay_xml_free(memory) }
        return Array(UnsafeBufferPointer(start: memory, count: Int(size)))
    }

    /// Builds `element` (and its children) under `parent`, declaring each namespace once where it starts.
    private static func makeNode(
        _ element: XMLTreeElement, in document: xmlDocPtr, parent: xmlNodePtr?, prefixes: [String: String]
    ) -> xmlNodePtr? {
        guard let node = xmlNewDocNode(document, nil, chars(element.localName), nil) else { return nil }
        if let parent { xmlAddChild(parent, node) }
        if let uri = element.namespaceURI {
            let prefix = prefixes[uri]
            // Reuse a declaration in scope with the same prefix; otherwise declare it on this element.
            let inScope = parent.flatMap { xmlSearchNsByHref(document, $0, chars(uri)) }
            let namespace: xmlNsPtr?
            if let inScope, sameOptional(inScope.pointee.prefix, prefix) {
                namespace = inScope
            } else {
                namespace = prefix.map { xmlNewNs(node, chars(uri), chars($0)) } ?? xmlNewNs(node, chars(uri), nil)
            }
            xmlSetNs(node, namespace)
        }
        if !element.text.isEmpty {
            xmlNodeAddContent(node, chars(element.text))
        }
        for child in element.children {
            guard makeNode(child, in: document, parent: node, prefixes: prefixes) != nil else { return nil }
        }
        return node
    }

    private static func sameOptional(_ cPrefix: UnsafePointer<xmlChar>?, _ prefix: String?) -> Bool {
        switch (cPrefix, prefix) {
        case (nil, nil): true
        case (let c?, let p?): String(cString: c) == p
        default: false
        }
    }

    /// Names must be NCNames and texts XML 1.0 characters: libxml2 would write anything it is given.
    private static func validate(_ element: XMLTreeElement) throws(XMLWriteError) {
        guard xmlValidateNCName(chars(element.localName), 0) == 0 else { throw .invalidName(element.localName) }
        if let position = element.text.unicodeScalars.firstIndex(where: { !isXMLCharacter($0) }) {
            throw .invalidCharacter(element: element.localName,
                                    position: element.text.unicodeScalars.distance(from: element.text.unicodeScalars.startIndex, to: position))
        }
        for child in element.children { try validate(child) }
    }

    /// XML 1.0's `Char` production: tab, LF, CR, and everything from U+0020 except the two non-characters.
    private static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

/// `text` as libxml2's NUL-terminated `xmlChar` string (an array passes as a pointer for the call's duration).
private func chars(_ text: String) -> [xmlChar] {
    Array(text.utf8) + [0]
}

/// Why a document could not be written. No case carries element text.
public enum XMLWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An element name is not a valid XML name without a colon.
    case invalidName(String)
    /// An element's text has a character XML 1.0 cannot carry at `position` (0-based, in Unicode scalars).
    case invalidCharacter(element: String, position: Int)
    /// libxml2 could not allocate the document.
    case libraryFailure

    public var description: String {
        switch self {
        case .invalidName(let name): "<\(name)> is not a valid XML element name"
        case .invalidCharacter(let element, let position): "<\(element)> has a character XML cannot carry at position \(position + 1)"
        case .libraryFailure: "libxml2 could not write the document"
        }
    }
}
