import DevPayKit
import DevPayStateMachine
import Foundation

/// The two checked-in files generated from the transition table, and how to read them back.
///
/// Set `DEVPAY_REGENERATE_LIFECYCLE_DOCS=1` to rewrite them from the code after changing the table; the
/// tests then show the diff in `git diff` for review.
enum LifecycleSpecFiles {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let spec = packageRoot.appending(path: "Specs/activation-lifecycle.md")
    static let docs = packageRoot.appending(path: "docs/lifecycle.md")
    static let diagramStart = "<!-- generated diagram: begin -->"
    static let diagramEnd = "<!-- generated diagram: end -->"
    static let tableStart = "<!-- transition table: begin -->"
    static let tableEnd = "<!-- transition table: end -->"

    static var regenerate: Bool { ProcessInfo.processInfo.environment["DEVPAY_REGENERATE_LIFECYCLE_DOCS"] == "1" }

    /// One arrow as the spec writes it.
    struct Row: Hashable, CustomStringConvertible {
        var from: String
        var event: String
        var guardName: String
        var to: String
        var description: String { "\(from) --\(event)\(guardName.isEmpty ? "" : " [\(guardName)]")--> \(to)" }
    }

    static func rows(of table: TransitionTable<ActivationStateMachine>) -> [Row] {
        table.edges.map {
            Row(from: $0.source.rawValue, event: $0.event.rawValue, guardName: $0.guardName ?? "", to: $0.target.rawValue)
        }
    }

    static func markdownTable(_ rows: [Row]) -> String {
        var lines = ["| From | Event | Guard | To |", "|---|---|---|---|"]
        for row in rows {
            lines.append("| \(row.from) | \(row.event) | \(row.guardName) | \(row.to) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The rows of the Markdown table between the markers of `text`.
    static func parseRows(_ text: String) -> [Row] {
        section(of: text, from: tableStart, to: tableEnd)
            .split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("|") && !$0.hasPrefix("| From") && !$0.hasPrefix("|---") }
            .map { line in
                let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                    .dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
                return Row(from: cells[0], event: cells[1], guardName: cells[2], to: cells[3])
            }
    }

    static func section(of text: String, from start: String, to end: String) -> String {
        guard let lower = text.range(of: start), let upper = text.range(of: end, range: lower.upperBound..<text.endIndex)
        else { return "" }
        return String(text[lower.upperBound..<upper.lowerBound])
    }

    static func replacingSection(of text: String, from start: String, to end: String, with body: String) -> String {
        guard let lower = text.range(of: start), let upper = text.range(of: end, range: lower.upperBound..<text.endIndex)
        else { return text }
        return text.replacingCharacters(in: lower.upperBound..<upper.lowerBound, with: "\n" + body + "\n")
    }
}
