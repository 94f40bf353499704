import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Foundation
import Testing

@Suite("introspection", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct IntrospectionTests {
    let table = Turnstile().table

    @Test("the Mermaid export lists states, the initial arrow, labelled transitions and the current state")
    func mermaid() {
        #expect(
            table.mermaid(initial: .locked, highlighting: .unlocked) == """
                stateDiagram-v2
                    state "locked" as s_locked
                    state "unlocked" as s_unlocked
                    state "jammed" as s_jammed
                    state "retired" as s_retired
                    [*] --> s_locked
                    s_locked --> s_unlocked : coin
                    s_unlocked --> s_locked : push
                    s_unlocked --> s_unlocked : coin
                    s_locked --> s_jammed : kick [hard]
                    s_jammed --> s_jammed : kick
                    classDef current fill:#ffcc66,stroke:#b36b00,stroke-width:2px
                    class s_unlocked current

                """)
    }

    @Test("the DOT export fills the current state and labels arrows with event and guard")
    func graphviz() {
        let dot = table.graphviz(initial: .locked, highlighting: .jammed)
        #expect(dot.hasPrefix("digraph \"Turnstile\" {\n"))
        #expect(dot.contains("    s_jammed [label=\"jammed\", style=\"rounded,filled\", fillcolor=\"#ffcc66\", penwidth=2];\n"))
        #expect(dot.contains("    s_locked [label=\"locked\"];\n"))
        #expect(dot.contains("    __start -> s_locked;\n"))
        #expect(dot.contains("    s_locked -> s_jammed [label=\"kick [hard]\"];\n"))
        #expect(dot.hasSuffix("}\n"))
    }

    @Test("Graphviz itself accepts the DOT export", .enabled(if: Self.dotPath != nil, "install graphviz: scripts/install-dependencies"))
    func graphvizAccepts() throws {
        for dot in [table.graphviz(initial: .locked, highlighting: .jammed), Connection().table.graphviz()] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.dotPath!)
            process.arguments = ["-Tsvg"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(dot.utf8))
            try input.fileHandleForWriting.close()
            let svg = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(svg)")
            #expect(svg.contains("<svg"))
        }
    }

    static let dotPath: String? = ["/usr/bin/dot", "/usr/local/bin/dot"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test("unreachable states are those no arrow leads to from the initial state")
    func unreachable() {
        #expect(table.unreachableStates(from: .locked) == [.retired])
        #expect(table.unreachableStates(from: .jammed) == [.locked, .unlocked, .retired])
    }

    @Test("the shortest path lists the arrows to follow")
    func shortestPath() throws {
        let path = try #require(table.shortestPath(from: .unlocked, to: .jammed))
        #expect(path.map(\.event) == [.push, .kick])
        #expect(path.last?.guardName == "hard")
        #expect(table.shortestPath(from: .locked, to: .locked) == [])
        #expect(table.shortestPath(from: .locked, to: .retired) == nil)
    }

    @Test("dead ends are states with no way out, unless declared final")
    func deadEnds() {
        #expect(table.deadEnds() == [.jammed, .retired])
        #expect(table.deadEnds(excluding: [.retired]) == [.jammed])
    }

    @Test("the connection example has no unreachable state and no dead end")
    func connectionIsWellFormed() {
        let table = Connection().table
        #expect(table.unreachableStates(from: .idle).isEmpty)
        #expect(table.deadEnds().isEmpty)
        #expect(table.shortestPath(from: .idle, to: .offline)?.map(\.event) == [.connect, .failed])
    }
}
