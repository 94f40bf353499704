import Foundation

/// A fenced code block of a Markdown document, with the name its marker line gives it.
///
/// A marker is an HTML comment on the line right before the opening fence, `<!-- KIND: NAME -->`: the
/// documents' examples (`example`, checked against `Examples/`) and the CLI sessions the tests run (`cli`).
public struct MarkedCodeBlock: Sendable, Hashable {
    /// The name in the marker, or `nil` when the block has none (of the kind asked for).
    public var name: String?
    /// 1-based line of the opening fence.
    public var line: Int
    /// The text between the fences, each line ending with a newline.
    public var code: String
    /// The indices of `code`'s lines among the document's lines (split on newlines).
    public var lines: Range<Int>

    /// The blocks fenced as ```` ```language ```` in `document`, named by `<!-- kind: NAME -->` markers.
    public static func blocks(in document: String, language: String, kind: String) -> [MarkedCodeBlock] {
        let lines = document.split(separator: "\n", omittingEmptySubsequences: false)
        let marker = "<!-- \(kind): "
        var blocks: [MarkedCodeBlock] = []
        var index = 0
        while index < lines.count {
            guard lines[index].trimmingCharacters(in: .whitespaces) == "```" + language else {
                index += 1
                continue
            }
            let opening = index
            var closing = opening + 1
            while closing < lines.count, lines[closing].trimmingCharacters(in: .whitespaces) != "```" { closing += 1 }
            let previous = opening > 0 ? lines[opening - 1].trimmingCharacters(in: .whitespaces) : ""
            let name = previous.hasPrefix(marker) && previous.hasSuffix(" -->")
                ? String(previous.dropFirst(marker.count).dropLast(" -->".count)) : nil
            let body = (opening + 1)..<min(closing, lines.count)
            blocks.append(MarkedCodeBlock(
                name: name, line: opening + 1, code: lines[body].map { $0 + "\n" }.joined(), lines: body))
            index = closing + 1
        }
        return blocks
    }
}
