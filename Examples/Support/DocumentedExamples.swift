import DevPayTestSupport
import Foundation

/// The Swift examples of the documents, kept as code.
///
/// An example is a region of a Swift file under `Examples/`, between `// example: NAME` and `// example end`.
/// A document shows it in a ```` ```swift ```` block right after the line `<!-- example: NAME -->`. Every
/// Swift block of a document listed in ``documents`` must carry such a marker, and its text must equal the
/// region's (indentation common to the region removed). Set `DEVPAY_REGENERATE_EXAMPLES=1` to rewrite the
/// blocks from the code. docs/examples.md describes the convention.
enum DocumentedExamples {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The documents whose Swift blocks are checked, relative to the package root. To hook a document's
    /// examples in, add it here and mark its blocks.
    static let documents = [
        "README.md",
        "docs/emulator.md",
        "docs/lifecycle.md",
        "docs/retry.md",
        "Sources/DevPayKit/DevPayKit.docc/GettingStarted.md",
        "Sources/DevPayEmulator/DevPayEmulator.docc/TestingWithTheEmulator.md",
    ]

    /// Where example regions are looked for (every Swift file below, recursively).
    static let exampleFolder = "Examples"

    static let regionStart = "// example: "
    static let regionEnd = "// example end"

    static var regenerate: Bool { ProcessInfo.processInfo.environment["DEVPAY_REGENERATE_EXAMPLES"] == "1" }

    /// Every example region under ``exampleFolder``: name → text.
    static func regions() throws -> [String: String] {
        var regions: [String: String] = [:]
        let folder = packageRoot.appending(path: exampleFolder)
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files {
            for (name, text) in try Self.regions(in: String(contentsOf: file, encoding: .utf8), file: file.lastPathComponent) {
                guard regions.updateValue(text, forKey: name) == nil else {
                    throw ExampleError("example \(name) is defined twice (again in \(file.lastPathComponent))")
                }
            }
        }
        return regions
    }

    /// The regions of one Swift file.
    static func regions(in source: String, file: String) throws -> [(String, String)] {
        var found: [(String, String)] = []
        var open: (name: String, lines: [Substring])?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(regionStart) {
                guard open == nil else { throw ExampleError("\(file): example regions cannot nest") }
                open = (String(trimmed.dropFirst(regionStart.count)), [])
            } else if trimmed == regionEnd {
                guard let region = open else { throw ExampleError("\(file): '\(regionEnd)' without a start") }
                found.append((region.name, dedented(region.lines)))
                open = nil
            } else {
                open?.lines.append(line)
            }
        }
        if let open { throw ExampleError("\(file): example \(open.name) is not closed") }
        return found
    }

    /// The lines without the indentation they share, joined, with a final newline.
    static func dedented(_ lines: [Substring]) -> String {
        let indents = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }
        let common = indents.min() ?? 0
        return lines.map { $0.allSatisfy(\.isWhitespace) ? "" : String($0.dropFirst(common)) }
            .joined(separator: "\n") + "\n"
    }

    /// The Swift blocks of a document, with the example each one names.
    static func blocks(in document: String) -> [MarkedCodeBlock] {
        MarkedCodeBlock.blocks(in: document, language: "swift", kind: "example")
    }

    /// `document` with each marked block's text replaced by its example's.
    static func rewritten(_ document: String, regions: [String: String]) -> String {
        var lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for block in blocks(in: document).reversed() {
            guard let name = block.name, let code = regions[name] else { continue }
            lines.replaceSubrange(block.lines, with: code.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        }
        return lines.joined(separator: "\n")
    }
}

struct ExampleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
