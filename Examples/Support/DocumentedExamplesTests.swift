import Foundation
import Testing

@Suite("Documents show their examples verbatim from Examples/")
struct DocumentedExamplesTests {
    @Test("every Swift block of the listed documents names an example and shows exactly its code",
          arguments: DocumentedExamples.documents)
    func documentMatchesCode(_ path: String) throws {
        let regions = try DocumentedExamples.regions()
        let file = DocumentedExamples.packageRoot.appending(path: path)
        let document = try String(contentsOf: file, encoding: .utf8)
        if DocumentedExamples.regenerate {
            try DocumentedExamples.rewritten(document, regions: regions).write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let blocks = DocumentedExamples.blocks(in: document)
        #expect(!blocks.isEmpty, "\(path) shows no Swift example: remove it from DocumentedExamples.documents")
        for block in blocks {
            guard let name = block.name else {
                Issue.record("\(path):\(block.line): a Swift block without '<!-- example: NAME -->' before it")
                continue
            }
            guard let code = regions[name] else {
                Issue.record("\(path):\(block.line): no example named \(name) under Examples/")
                continue
            }
            #expect(block.code == code, """
                \(path):\(block.line) differs from example \(name); \
                DEVPAY_REGENERATE_EXAMPLES=1 rewrites the block from the code. The code:
                \(code)
                """)
        }
    }

    @Test("regions are found, dedented and checked for nesting")
    func regionParsing() throws {
        // Built from the markers, so this file holds no region of its own.
        let (start, end) = (DocumentedExamples.regionStart, DocumentedExamples.regionEnd)
        let source = ["import A", start + "outer", "    func f() {", "    " + end].joined(separator: "\n")
        #expect(try DocumentedExamples.regions(in: source, file: "x.swift").map(\.0) == ["outer"])
        #expect(try DocumentedExamples.regions(in: source, file: "x.swift").map(\.1) == ["func f() {\n"])
        #expect(throws: ExampleError.self) {
            try DocumentedExamples.regions(in: [start + "a", start + "b", end].joined(separator: "\n"), file: "x.swift")
        }
        #expect(throws: ExampleError.self) { try DocumentedExamples.regions(in: start + "a\n", file: "x.swift") }
    }

    @Test("a marked block is found with its name; an unmarked one without")
    func blockParsing() {
        let document = "text\n<!-- example: one -->\n```swift\nlet a = 1\n```\n\n```swift\nb\n```\n"
        let blocks = DocumentedExamples.blocks(in: document)
        #expect(blocks.map(\.name) == ["one", nil])
        #expect(blocks.map(\.code) == ["let a = 1\n", "b\n"])
        #expect(DocumentedExamples.rewritten(document, regions: ["one": "let a = 2\nlet c = 3\n"])
            == "text\n<!-- example: one -->\n```swift\nlet a = 2\nlet c = 3\n```\n\n```swift\nb\n```\n")
    }
}
