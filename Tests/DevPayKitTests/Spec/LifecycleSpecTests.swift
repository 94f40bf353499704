import DevPayKit
import Foundation
import Testing

@Suite("Spec and diagram agree with the code")
struct LifecycleSpecTests {
    let machine = ActivationStateMachine()

    @Test("Specs/activation-lifecycle.md lists exactly the table's arrows")
    func specMatchesTable() throws {
        let codeRows = LifecycleSpecFiles.rows(of: machine.table)
        var text = try String(contentsOf: LifecycleSpecFiles.spec, encoding: .utf8)
        if LifecycleSpecFiles.regenerate {
            text = LifecycleSpecFiles.replacingSection(
                of: text, from: LifecycleSpecFiles.tableStart, to: LifecycleSpecFiles.tableEnd,
                with: LifecycleSpecFiles.markdownTable(codeRows))
            try text.write(to: LifecycleSpecFiles.spec, atomically: true, encoding: .utf8)
        }
        let specRows = LifecycleSpecFiles.parseRows(text)
        #expect(!specRows.isEmpty, "the spec has no transition table")
        let missingFromSpec = codeRows.filter { !specRows.contains($0) }
        let missingFromCode = specRows.filter { !codeRows.contains($0) }
        #expect(missingFromSpec.isEmpty, "in the code, not in the spec: \(missingFromSpec)")
        #expect(missingFromCode.isEmpty, "in the spec, not in the code: \(missingFromCode)")
        #expect(Set(specRows).count == specRows.count, "the spec lists a row twice")
    }

    @Test("docs/lifecycle.md carries the diagram generated from the table")
    func diagramIsCurrent() throws {
        let generated = "```mermaid\n" + machine.mermaidDiagram + "```"
        var text = try String(contentsOf: LifecycleSpecFiles.docs, encoding: .utf8)
        if LifecycleSpecFiles.regenerate {
            text = LifecycleSpecFiles.replacingSection(
                of: text, from: LifecycleSpecFiles.diagramStart, to: LifecycleSpecFiles.diagramEnd, with: generated)
            try text.write(to: LifecycleSpecFiles.docs, atomically: true, encoding: .utf8)
        }
        let committed = LifecycleSpecFiles.section(
            of: text, from: LifecycleSpecFiles.diagramStart, to: LifecycleSpecFiles.diagramEnd)
        #expect(committed.trimmingCharacters(in: .whitespacesAndNewlines) == generated)
    }

    @Test("every state is documented in docs/lifecycle.md")
    func everyStateDocumented() throws {
        let text = try String(contentsOf: LifecycleSpecFiles.docs, encoding: .utf8)
        for state in ActivationState.Name.allCases {
            #expect(text.contains("**\(state.rawValue)"), "state \(state.rawValue) is not documented")
        }
    }

    @Test("every state is reachable from launch and none is a dead end")
    func graphIsSound() {
        #expect(machine.table.unreachableStates(from: .restoring).isEmpty)
        #expect(machine.table.deadEnds().isEmpty)
        #expect(machine.table.shortestPath(from: .restoring, to: .subscribed) != nil)
    }
}
