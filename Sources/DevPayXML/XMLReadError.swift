/// Why a document was refused. No case carries document text, so an error never echoes a secret.
public enum XMLReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input holds no element at all (zero bytes or only white space).
    case empty
    /// The input is longer than ``XMLReadLimits/maximumBytes``.
    case tooLarge(limit: Int)
    /// The document has a `<!DOCTYPE …>`; no service answer needs one, and refusing it rules out entity
    /// declarations (billion laughs) and external entities (file or network reads) entirely.
    case documentTypeForbidden
    /// Elements nest deeper than ``XMLReadLimits/maximumDepth``.
    case tooDeep(limit: Int)
    /// The document has more than ``XMLReadLimits/maximumElements`` elements.
    case tooManyElements(limit: Int)
    /// One element holds more than ``XMLReadLimits/maximumTextBytes`` bytes of text.
    case textTooLong(limit: Int)
    /// The input stops before the document is complete (an element or tag is left open).
    case truncated(line: Int, column: Int)
    /// The input is not well-formed XML.
    case malformed(XMLSyntaxProblem)

    public var description: String {
        switch self {
        case .empty: "the XML document is empty"
        case .tooLarge(let limit): "the XML document is larger than \(limit) bytes"
        case .documentTypeForbidden: "the XML document has a DOCTYPE, which is refused"
        case .tooDeep(let limit): "the XML document nests elements deeper than \(limit) levels"
        case .tooManyElements(let limit): "the XML document has more than \(limit) elements"
        case .textTooLong(let limit): "an XML element holds more than \(limit) bytes of text"
        case .truncated(let line, let column): "the XML document ends early (line \(line), column \(column))"
        case .malformed(let problem): "the XML document is malformed: \(problem)"
        }
    }
}

/// What libxml2 reported about a document that is not well-formed.
public struct XMLSyntaxProblem: Sendable, Hashable, CustomStringConvertible {
    /// libxml2's error number (`xmlParserErrors`), e.g. 76 for a tag mismatch.
    public var code: Int
    /// libxml2's message, trimmed (it names tags and entities, never quotes element text).
    public var message: String
    /// The line of the problem, 1-based, or 0 when unknown.
    public var line: Int
    /// The column of the problem, 1-based, or 0 when unknown.
    public var column: Int

    /// Creates a problem report from its parts.
    public init(code: Int, message: String, line: Int, column: Int) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { "\(message) (libxml2 error \(code), line \(line), column \(column))" }
}
