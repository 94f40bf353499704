import DevPayStateMachine
import NIOConcurrencyHelpers
import Testing

/// Which declared transitions (arrows of the table) a test exercised.
///
/// Feed it the transitions a test applied (``StatefulMachineCheck`` does this for you); then
/// ``expectComplete(sourceLocation:)`` fails the test, naming each declared arrow never taken.
public final class TransitionCoverage<Machine: StateMachineDefinition>: Sendable {
    private let table: TransitionTable<Machine>
    private let declared: [Edge<Machine>]
    private let exercised = NIOLockedValueBox<[Edge<Machine>: Int]>([:])

    /// Creates an empty coverage record for `table`.
    public init(_ table: TransitionTable<Machine>) {
        self.table = table
        self.declared = table.edges
    }

    /// Counts the arrows that accepted transitions in `transitions` took.
    public func record(_ transitions: some Sequence<Transition<Machine>>) {
        let edges = transitions.compactMap { transition -> Edge<Machine>? in
            transition.step.map { table.edge(taken: $0) }
        }
        guard !edges.isEmpty else { return }
        exercised.withLockedValue { counts in
            for edge in edges { counts[edge, default: 0] += 1 }
        }
    }

    /// How many times each declared arrow was taken, in table order.
    public var counts: [(edge: Edge<Machine>, count: Int)] {
        let counts = exercised.withLockedValue { $0 }
        return declared.map { ($0, counts[$0] ?? 0) }
    }

    /// The declared arrows never taken.
    public var missing: [Edge<Machine>] {
        counts.filter { $0.count == 0 }.map(\.edge)
    }

    /// A readable table of every declared arrow and how often it was taken.
    public var report: String {
        counts.map { "\($0.count == 0 ? "MISSING" : String($0.count)) \t\($0.edge.source) --\($0.edge.label)--> \($0.edge.target)" }
            .joined(separator: "\n")
    }

    /// Records a test issue if any declared arrow was never taken.
    public func expectComplete(sourceLocation: SourceLocation = #_sourceLocation) {
        let missing = missing
        guard !missing.isEmpty else { return }
        let list = missing.map { "  \($0.source) --\($0.label)--> \($0.target)" }.joined(separator: "\n")
        Issue.record(
            "\(missing.count) declared transition(s) never exercised:\n\(list)\n\nCoverage:\n\(report)",
            sourceLocation: sourceLocation)
    }
}
