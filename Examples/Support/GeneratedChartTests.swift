import DevPayKit
import DevPayTestSupport
import Foundation
import Testing

@Suite("The DocC lifecycle article carries the chart generated from the table")
struct GeneratedChartTests {
    static let article = DocumentedExamples.packageRoot.appending(path: "Sources/DevPayKit/DevPayKit.docc/TheLifecycle.md")

    @Test("TheLifecycle.md's mermaid block is ActivationStateMachine().mermaidDiagram")
    func chartIsCurrent() throws {
        let document = try String(contentsOf: Self.article, encoding: .utf8)
        let generated = ActivationStateMachine().mermaidDiagram
        let block = try #require(
            MarkedCodeBlock.blocks(in: document, language: "mermaid", kind: "generated")
                .first { $0.name == "lifecycle-diagram" },
            "no '<!-- generated: lifecycle-diagram -->' mermaid block")
        if DocumentedExamples.regenerate {
            var lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.replaceSubrange(block.lines, with: generated.split(separator: "\n").map(String.init))
            try lines.joined(separator: "\n").write(to: Self.article, atomically: true, encoding: .utf8)
            return
        }
        #expect(block.code == generated, "DEVPAY_REGENERATE_EXAMPLES=1 rewrites the chart from the table")
    }
}
