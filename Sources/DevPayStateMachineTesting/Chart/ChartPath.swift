public import DevPayStateMachine
public import Testing

/// A deterministic sequence of events from a chart's initial state that reaches one leaf state or ends
/// by taking one declared transition: generated from the chart's graph (``ChartGraph``, like
/// `@xstate/graph`'s shortest paths) and run against the real chart, one parameterized test per path.
///
/// ```swift
/// @Test(arguments: ChartPath.transitions(of: Download()))
/// func everyTransition(_ path: ChartPath<Download>) {
///     path.check(Download(), context: .init(), events: [Download.Start(url: "u"), Download.Pause()])
/// }
/// ```
///
/// The graph ignores guards, so a path is a candidate: ``check(_:context:events:sourceLocation:)`` runs it
/// and fails the test if the chart does not take a step or ends a step in another state than the graph
/// says (no sample satisfies the guard, a rule shadowed at run time). Events come from the samples the
/// test gives: for each step, the first sample of the step's event type with which the chart takes the
/// step (give several samples of a type to take rules whose guards differ); an event that only a timer
/// sends needs no sample: the path lets virtual time pass until that timer fires.
public struct ChartPath<Definition: Statechart>: Sendable, CustomTestStringConvertible {
    /// What a path is for.
    public enum Goal: Sendable {
        /// Reaching this leaf state.
        case state(Definition.State)
        /// Taking this declared transition (as its last step).
        case transition(ChartGraph<Definition>.Transition)
    }

    /// What this path is for.
    public let goal: Goal
    /// The steps, from the initial state.
    public let steps: [ChartGraph<Definition>.Step]

    public var testDescription: String {
        let events = steps.isEmpty ? "(initial state)" : steps.map(\.transition.eventName).joined(separator: ", ")
        switch goal {
        case .state(let state): return "reach \(state): \(events)"
        case .transition(let transition): return "take \(transition): \(events)"
        }
    }

    /// A shortest path to each reachable leaf state, in the order the chart declares the states.
    public static func states(of definition: Definition) -> [ChartPath] {
        let chart = definition.chart
        let paths = chart.graph.shortestPaths()
        return chart.states.compactMap { state in
            paths[state].map { ChartPath(goal: .state(state), steps: $0) }
        }
    }

    /// A shortest path ending with each declared transition the graph can take (postponements and rules
    /// no leaf can reach are left out), in the order the chart declares them.
    public static func transitions(of definition: Definition) -> [ChartPath] {
        let graph = definition.chart.graph
        let paths = graph.transitionPaths()
        return graph.transitions.compactMap { transition in
            paths[transition.id].map { ChartPath(goal: .transition(transition), steps: $0) }
        }
    }

    /// Runs the path on a fresh, non-exhaustive ``ChartTestStore`` and records an issue where the chart
    /// departs from it; returns the store, in the state the path ends in, for further assertions.
    @discardableResult
    public func check(
        _ definition: Definition,
        context: Definition.Context,
        events samples: [any ChartEvent],
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ChartTestStore<Definition> where Definition.Context: Equatable, Definition.Effect: Equatable {
        let store = ChartTestStore(definition, context: context, exhaustivity: .off, sourceLocation: sourceLocation)
        store.skipInFlight()
        for (index, step) in steps.enumerated() {
            let position = "step \(index + 1) of \(testDescription)"
            guard store.state == step.from else {
                Issue.record("\(position): the chart is in \(store.state), the path expects \(step.from)", sourceLocation: sourceLocation)
                return store
            }
            let wanted = ObjectIdentifier(step.transition.eventType)
            let candidates = samples.filter { ObjectIdentifier(type(of: $0)) == wanted }
            if candidates.isEmpty {
                guard store.advanceToTimer(sending: step.transition.eventType) else {
                    Issue.record(
                        "\(position): no sample event of type \(step.transition.eventName) and no timer armed that sends one",
                        sourceLocation: sourceLocation)
                    return store
                }
                if store.state != step.to {
                    Issue.record(
                        "\(position): \(step.transition) ended in \(store.state), the graph says \(step.to)",
                        sourceLocation: sourceLocation)
                    return store
                }
                continue
            }
            // The first sample with which the chart takes the step as the graph says (a guard may need a
            // particular payload); if none does, the first sample's outcome is reported.
            let before = store.snapshot()
            var firstOutcome: String?
            var taken = false
            for event in candidates {
                let disposition = store.send(any: event)
                if disposition == .handled, store.state == step.to {
                    taken = true
                    break
                }
                firstOutcome = firstOutcome
                    ?? (disposition == .handled ? "ended in \(store.state), the graph says \(step.to)" : "was \(disposition)")
                store.restore(before)
            }
            guard taken else {
                Issue.record("\(position): \(step.transition) \(firstOutcome ?? "")", sourceLocation: sourceLocation)
                return store
            }
        }
        return store
    }
}
