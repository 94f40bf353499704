/// One declared arrow of a transition table: from a state, on an event (under a guard), to a state.
public struct Edge<Machine: StateMachineDefinition>: Hashable, Sendable {
    /// The source state.
    public var source: Machine.State.Name
    /// The event.
    public var event: Machine.Event.Name
    /// The declared target state.
    public var target: Machine.State.Name
    /// The guard's name, if the rule has one.
    public var guardName: String?
    /// The index of the declaring rule in ``TransitionTable/rules``.
    public var ruleIndex: Int

    /// `event` or `event [guard]`, as diagrams label the arrow.
    public var label: String {
        let event = String(describing: event)
        return guardName.map { "\(event) [\($0)]" } ?? event
    }
}

extension TransitionTable {
    /// Every state name, in `CaseIterable` order.
    public var states: [State.Name] { Array(State.Name.allCases) }

    /// Every declared arrow (each source × each declared target of each rule), in rule order.
    public var edges: [Edge<Machine>] {
        var seen = Set<Edge<Machine>>()
        var edges: [Edge<Machine>] = []
        for (index, rule) in rules.enumerated() {
            for source in rule.sources {
                for target in rule.targets {
                    let edge = Edge<Machine>(
                        source: source, event: rule.event, target: target, guardName: rule.guard?.name,
                        ruleIndex: index)
                    if seen.insert(edge).inserted { edges.append(edge) }
                }
            }
        }
        return edges
    }

    /// The declared arrow an accepted step took (for coverage).
    public func edge(taken step: Step<Machine>) -> Edge<Machine> {
        Edge(
            source: step.from.name, event: step.event.name, target: step.to.name,
            guardName: rules[step.ruleIndex].guard?.name, ruleIndex: step.ruleIndex)
    }

    /// The states no sequence of events can reach from `initial` (guards are assumed satisfiable).
    public func unreachableStates(from initial: State.Name) -> [State.Name] {
        let reached = Set(breadthFirst(from: initial).keys)
        return states.filter { !reached.contains($0) }
    }

    /// The shortest sequence of declared arrows from `start` to `goal`: empty if they are the same state,
    /// `nil` if `goal` cannot be reached. Follow its events (satisfying their guards) to get there.
    public func shortestPath(from start: State.Name, to goal: State.Name) -> [Edge<Machine>]? {
        let parents = breadthFirst(from: start)
        guard parents[goal] != nil else { return nil }
        var path: [Edge<Machine>] = []
        var current = goal
        while let edge = parents[current] ?? nil {
            path.append(edge)
            current = edge.source
        }
        return path.reversed()
    }

    /// The states with no declared arrow to another state: once there, the machine can never leave.
    ///
    /// - Parameter finalStates: states that are meant to be terminal and are not reported.
    public func deadEnds(excluding finalStates: Set<State.Name> = []) -> [State.Name] {
        let exits = Set(edges.filter { $0.source != $0.target }.map(\.source))
        return states.filter { !exits.contains($0) && !finalStates.contains($0) }
    }

    /// For every state reached from `start`, the arrow it was first reached by (`nil` for `start`).
    private func breadthFirst(from start: State.Name) -> [State.Name: Edge<Machine>?] {
        var outgoing: [State.Name: [Edge<Machine>]] = [:]
        for edge in edges {
            outgoing[edge.source, default: []].append(edge)
        }
        var parents: [State.Name: Edge<Machine>?] = [start: nil]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for edge in outgoing[state, default: []] where parents[edge.target] == nil {
                parents[edge.target] = edge
                queue.append(edge.target)
            }
        }
        return parents
    }
}
