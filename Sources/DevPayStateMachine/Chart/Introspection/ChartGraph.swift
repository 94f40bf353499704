import DequeModule

/// The chart as a graph over its leaf states, for queries (unreachable states, dead ends) and for
/// shortest event paths to each state and each declared transition (like `@xstate/graph`).
///
/// Guards are not evaluated: every declared rule is assumed able to fire, so paths are candidates that
/// a test runs against the real chart. A rule is shadowed (never a candidate) in a leaf where an earlier
/// unguarded rule of the leaf's chain takes the same event. A history target is taken as entering the
/// compound state's initial child (what it does the first time).
public struct ChartGraph<Definition: Statechart>: Sendable {
    public typealias State = Definition.State

    /// One declared rule.
    public struct Transition: Sendable, Identifiable, CustomStringConvertible {
        /// The rule's position among the chart's rules, in declaration order.
        public var id: Int
        /// The state that declares the rule (`nil`: the chart's top level, applying everywhere).
        public var source: State?
        /// The event type the rule takes, and its name.
        public var eventType: any ChartEvent.Type
        public var eventName: String
        /// The declared target (`nil`: an internal transition or a postponement).
        public var target: State?
        /// Whether the target is entered through its shallow history.
        public var history: Bool
        /// Whether the rule exits and re-enters its own state.
        public var reenter: Bool
        /// The guard's name, if the rule has one.
        public var guardName: String?
        /// Whether the rule postpones the event rather than taking it.
        public var isPostpone: Bool

        public var description: String {
            let from = source.map { "\($0)" } ?? "*"
            let guardText = guardName.map { " [\($0)]" } ?? ""
            if isPostpone { return "\(from): postpone \(eventName)\(guardText)" }
            let to = target.map { history ? "\($0) (history)" : "\($0)" } ?? "internal"
            return "\(from) --\(eventName)\(guardText)--> \(to)"
        }
    }

    /// One step of a path: in leaf `from`, send an event of the transition's type; the chart is then in
    /// leaf `to`.
    public struct Step: Sendable, CustomStringConvertible {
        public var from: State
        public var transition: Transition
        public var to: State

        public var description: String { "\(from) --\(transition.eventName)--> \(to)" }
    }

    /// Every declared rule, in declaration order.
    public let transitions: [Transition]
    let chart: Chart<Definition>

    init(_ chart: Chart<Definition>) {
        self.chart = chart
        transitions = chart.rules.indices.map { index in
            let rule = chart.rules[index]
            var target: State?
            var history = false
            var reenter = false
            var isPostpone = false
            switch rule.kind {
            case .postpone: isPostpone = true
            case .transition(let declared, let reentering):
                reenter = reentering
                switch declared {
                case .none: break
                case .state(let state): target = state
                case .history(let state):
                    target = state
                    history = true
                }
            }
            return Transition(
                id: index, source: chart.nodes[chart.ruleNode[index]].state, eventType: rule.eventType,
                eventName: rule.eventName, target: target, history: history, reenter: reenter,
                guardName: rule.guardName, isPostpone: isPostpone)
        }
    }

    /// The leaf states.
    public var leaves: [State] {
        chart.nodes.indices.filter { $0 > 0 && chart.nodes[$0].children.isEmpty }.map { chart.nodes[$0].state! }
    }

    /// The steps possible in `leaf`: each rule that can take an event there, with each leaf it may lead to.
    public func steps(from leaf: State) -> [Step] {
        guard let node = chart.nodeOfState[leaf] else { return [] }
        var steps: [Step] = []
        var settled = Set<ObjectIdentifier>()
        for candidate in chart.candidates[chart.candidateRange[node]] {
            guard !settled.contains(candidate.event) else { continue }
            let transition = transitions[candidate.rule]
            if transition.guardName == nil { settled.insert(candidate.event) }
            guard !transition.isPostpone else { continue }
            for target in targetLeaves(of: transition, from: node) {
                steps.append(Step(from: leaf, transition: transition, to: chart.nodes[target].state!))
            }
        }
        return steps
    }

    private func targetLeaves(of transition: Transition, from leaf: Int) -> [Int] {
        guard let target = transition.target, let node = chart.nodeOfState[target] else {
            return [leaf]
        }
        // A history target is taken as its first-time entry (the initial child): history only returns to
        // a child visited before, so this never hides a reachable state, and every path stays runnable.
        return [chart.defaultLeaf(under: node)]
    }

    /// For each reachable leaf, the shortest sequence of steps from the initial state (empty for the
    /// initial state itself); ties are broken by declaration order, so the result is deterministic.
    public func shortestPaths() -> [State: [Step]] {
        var paths: [State: [Step]] = [chart.initialState: []]
        var queue: Deque<State> = [chart.initialState]
        while let leaf = queue.popFirst() {
            for step in steps(from: leaf) where paths[step.to] == nil {
                paths[step.to] = paths[leaf]! + [step]
                queue.append(step.to)
            }
        }
        return paths
    }

    /// For each declared transition that can be taken (postponements excluded), the shortest path that
    /// ends by taking it, keyed by ``Transition/id``.
    public func transitionPaths() -> [Int: [Step]] {
        let toLeaf = shortestPaths()
        var result: [Int: [Step]] = [:]
        for leaf in leaves {
            guard let prefix = toLeaf[leaf] else { continue }
            for step in steps(from: leaf) {
                let path = prefix + [step]
                if let known = result[step.transition.id], known.count <= path.count { continue }
                result[step.transition.id] = path
            }
        }
        return result
    }

    /// The states no path from the initial state reaches (a compound state is reached when one of its
    /// leaves is).
    public func unreachableStates() -> [State] {
        let reached = Set(shortestPaths().keys)
        return chart.states.filter { state in
            let node = chart.nodeOfState[state]!
            return !reached.contains { chart.isAncestor(node, of: chart.nodeOfState[$0]!) }
        }
    }

    /// The reachable leaf states no step leaves (internal transitions do not count as a way out).
    public func deadEnds() -> [State] {
        let reachable = shortestPaths()
        return leaves.filter { leaf in
            reachable[leaf] != nil && !steps(from: leaf).contains { $0.to != leaf }
        }
    }
}

extension Chart {
    /// The chart as a graph, for queries and path generation.
    public var graph: ChartGraph<Definition> { ChartGraph(self) }
}
