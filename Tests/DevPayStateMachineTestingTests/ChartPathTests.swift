import DevPayStateMachine
import DevPayStateMachineTesting
import Testing

@Suite("ChartPath: paths from the graph, run against the chart")
struct ChartPathTests {
    @Test("every leaf state is reached", arguments: ChartPath.states(of: Transfer()))
    func reachesState(_ path: ChartPath<Transfer>) throws {
        let store = path.check(Transfer(), context: .init(), events: Transfer.samples)
        guard case .state(let goal) = path.goal else { throw PathError.wrongGoal }
        #expect(store.state == goal)
    }

    @Test("every declared transition is taken", arguments: ChartPath.transitions(of: Transfer()))
    func takesTransition(_ path: ChartPath<Transfer>) {
        path.check(Transfer(), context: .init(), events: Transfer.samples)
    }

    @Test("the paths cover every leaf and every declared transition of the sample chart")
    func coverage() {
        let graph = Transfer().chart.graph
        let reached = Set(ChartPath.states(of: Transfer()).compactMap { path -> Transfer.State? in
            if case .state(let state) = path.goal { state } else { nil }
        })
        #expect(reached == Set(graph.leaves))
        let taken = Set(ChartPath.transitions(of: Transfer()).compactMap { path -> Int? in
            if case .transition(let transition) = path.goal { transition.id } else { nil }
        })
        #expect(taken == Set(graph.transitions.filter { !$0.isPostpone }.map(\.id)))
    }

    @Test("paths are deterministic")
    func deterministic() {
        let first = ChartPath.transitions(of: Transfer()).map(\.testDescription)
        let second = ChartPath.transitions(of: Transfer()).map(\.testDescription)
        #expect(first == second)
        #expect(first.count == Transfer().chart.graph.transitions.count)
    }

    @Test("a path the chart does not follow fails the test")
    func departureFails() throws {
        let toDone = try #require(ChartPath.states(of: Transfer()).first { path in
            if case .state(.done) = path.goal { true } else { false }
        })
        withKnownIssue {
            // An empty URL fails the guard the graph cannot see: the path stops in idle.
            toDone.check(
                Transfer(), context: .init(),
                events: [Transfer.Start(url: ""), Transfer.Connected(), Transfer.Finished()])
        }
    }

    enum PathError: Error { case wrongGoal }
}
