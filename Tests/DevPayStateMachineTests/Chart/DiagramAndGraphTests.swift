import DevPayStateMachine
import Foundation
import Testing

@Suite("diagrams and graph queries")
struct DiagramAndGraphTests {
    /// A checked-in expected file beside this test.
    private func expected(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Expected/\(name)")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("the Mermaid diagram of a nested chart matches the checked-in file")
    func mermaid() throws {
        let diagram = Nested().chart.mermaid()
        #expect(diagram == (try expected("nested.mmd")), "actual:\n\(diagram)")
    }

    @Test("the Graphviz diagram of a nested chart matches the checked-in file")
    func dot() throws {
        let diagram = Nested().chart.dot()
        #expect(diagram == (try expected("nested.dot")), "actual:\n\(diagram)")
    }

    @Test("shortest event paths reach every state, and running them reaches it")
    func shortestPaths() throws {
        let graph = Nested().chart.graph
        let paths = graph.shortestPaths()
        #expect(Set(paths.keys) == [.off, .a1, .a2, .b])
        #expect(paths[.a2]?.map(\.transition.eventName) == ["Power", "Next"])
        for (leaf, path) in paths {
            var core = ChartCore(Nested(), context: .init())
            for step in path {
                let event = try #require(Self.sample(step.transition.eventType))
                core.send(any: event)
            }
            #expect(core.state == leaf, "path \(path)")
        }
    }

    @Test("every transition has a shortest path that ends by taking it")
    func transitionPaths() {
        let graph = Nested().chart.graph
        let paths = graph.transitionPaths()
        let takeable = graph.transitions.filter { !$0.isPostpone }
        #expect(Set(paths.keys) == Set(takeable.map(\.id)))
        for (id, path) in paths { #expect(path.last?.transition.id == id) }
    }

    @Test("unreachable states and dead ends are found")
    func queries() {
        #expect(Nested().chart.graph.unreachableStates().isEmpty)
        #expect(Nested().chart.graph.deadEnds().isEmpty)
        #expect(Downloader().chart.graph.deadEnds() == [.done])
        #expect(Island().chart.graph.unreachableStates() == [.island])
    }

    @Test("mistakes in a declaration are reported, not run")
    func issues() {
        #expect(Nested().chart.issues.isEmpty)
        #expect(Broken().chart.issues == [
            "state a is declared twice",
            "state b has children but no initial state",
            "state c is not declared in the chart",
            "rule On(Go) in state a targets the history of leaf a",
        ])
    }

    private static func sample(_ type: any ChartEvent.Type) -> (any ChartEvent)? {
        switch type {
        case is Nested.Bump.Type: Nested.Bump(by: 1)
        case let plain as any DefaultInitEvent.Type: plain.init()
        default: nil
        }
    }
}

/// Payload-free test events that can be built without arguments.
protocol DefaultInitEvent: ChartEvent { init() }
extension Nested.Power: DefaultInitEvent {}
extension Nested.Next: DefaultInitEvent {}
extension Nested.Flip: DefaultInitEvent {}
extension Nested.Back: DefaultInitEvent {}
extension Nested.Reset: DefaultInitEvent {}
extension Nested.Tick: DefaultInitEvent {}

/// A chart with a state nothing leads to.
struct Island: Statechart {
    enum State: ChartState { case shore, island }
    struct Swim: ChartEvent {}
    var chart: Chart<Island> {
        Chart(initial: .shore) {
            Node(.shore)
            Node(.island) { On(Swim.self, to: .shore) }
        }
    }
}

/// A chart with one of each declaration mistake.
struct Broken: Statechart {
    enum State: ChartState { case a, b, c, d }
    struct Go: ChartEvent {}
    var chart: Chart<Broken> {
        Chart(initial: .a) {
            Node(.a) { On(Go.self, toHistoryOf: .a) }
            Node(.a)
            Node(.b) { Node(.d) }
        }
    }
}
