/// One element of a parsed document: its local name, namespace, trimmed text and child elements.
///
/// Service answers are matched by **local name whatever the namespace** (the License Service moved from
/// `2007-06-05` to `2008-04-28` without changing element names), so lookups take a bare local name.
/// Attributes, comments and processing instructions are not kept: the answers we read carry their data in
/// element text.
public struct XMLTreeElement: Sendable, Hashable {
    /// The element's name without its prefix, e.g. `UserToken` for `<ls:UserToken>`.
    public var localName: String
    /// The namespace the element belongs to, if any.
    public var namespaceURI: String?
    /// The element's own character data (text and CDATA, not its children's), with XML white space
    /// (space, tab, CR, LF) trimmed from both ends.
    public var text: String
    /// The child elements, in document order.
    public var children: [XMLTreeElement]

    /// Creates an element from its parts.
    public init(localName: String, namespaceURI: String? = nil, text: String = "", children: [XMLTreeElement] = []) {
        self.localName = localName
        self.namespaceURI = namespaceURI
        self.text = text
        self.children = children
    }

    /// The first child element whose local name is `localName`.
    public func child(_ localName: String) -> XMLTreeElement? {
        children.first { $0.localName == localName }
    }

    /// Every child element whose local name is `localName`, in document order.
    public func children(_ localName: String) -> [XMLTreeElement] {
        children.filter { $0.localName == localName }
    }

    /// The first child whose local name is any of `localNames` (for spellings that changed between versions,
    /// such as `RequestId` and `RequestID`).
    public func child(anyOf localNames: String...) -> XMLTreeElement? {
        children.first { localNames.contains($0.localName) }
    }

    /// The element reached by following `path`, one local name per level: `root.child(at: "Result", "UserToken")`.
    public func child(at path: String...) -> XMLTreeElement? {
        var element = self
        for name in path {
            guard let next = element.child(name) else { return nil }
            element = next
        }
        return element
    }
}
