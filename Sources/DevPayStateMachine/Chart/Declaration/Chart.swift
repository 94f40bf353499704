/// A statechart compiled for stepping: its state tree, its rules and a dispatch table that lists, for each
/// state, the rules that apply in it (its own first, then its ancestors'), built once.
///
/// Declare one in ``Statechart/chart``:
///
/// ```swift
/// Chart(initial: .idle) {
///     Node(.idle) { On(Start.self, to: .active) }
///     Node(.active, initial: .running) { ... }
/// }
/// ```
///
/// Mistakes in the declaration (a state declared twice or not at all, a compound node without a valid
/// `initial`, a history target without children, two timers of one node sharing a name) are collected in
/// ``issues``; ``ChartMachine`` and ``ChartCore`` refuse a chart that has any.
public struct Chart<Definition: Statechart>: Sendable {
    public typealias State = Definition.State

    @usableFromInline struct CompiledNode: Sendable {
        @usableFromInline var state: State?
        @usableFromInline var parent: Int
        @usableFromInline var depth: Int
        @usableFromInline var children: [Int] = []
        @usableFromInline var initial: Int = -1
        @usableFromInline var entries: [Entry<Definition>] = []
        @usableFromInline var exits: [Exit<Definition>] = []
        @usableFromInline var invokes: [Invoke<Definition>] = []
        @usableFromInline var timers: [After<Definition>] = []
        @usableFromInline var rules: [Int] = []
    }

    @usableFromInline struct Candidate: Sendable {
        @usableFromInline var event: ObjectIdentifier
        @usableFromInline var rule: Int
    }

    /// What a rule does once its guard held, with its target resolved to a node (no lookup per step).
    @usableFromInline enum Move: Sendable {
        case postpone
        case stay
        case go(target: Int, history: Bool, reenter: Bool)
    }

    /// The parts of a rule a step reads, packed together in plain data: copying one retains nothing.
    @usableFromInline struct HotRule: Sendable {
        @usableFromInline let hasGuard: Bool
        @usableFromInline let hasAction: Bool
        @usableFromInline let move: Move
        @usableFromInline let source: Int
        @usableFromInline let answersVoid: Bool
    }

    /// The compiled tables, shared by every copy of the chart (copying a chart is one retain).
    @usableFromInline final class Tables: Sendable {
        /// Node 0 is the root (no state); the others in declaration order, depth first.
        @usableFromInline let nodes: [CompiledNode]
        @usableFromInline let rules: [On<Definition>]
        @usableFromInline let hotRules: ContiguousArray<HotRule>
        /// Each rule's guard and action, apart from ``hotRules`` so that reading a rule copies no closure.
        @usableFromInline let guards: ContiguousArray<GuardCode?>
        @usableFromInline let actions: ContiguousArray<ActionCode?>
        /// The node that declares each rule.
        @usableFromInline let ruleNode: [Int]
        @usableFromInline let nodeOfState: [State: Int]
        /// `candidates[candidateRange[n]]`: the rules that apply in node `n`, innermost first.
        @usableFromInline let candidates: ContiguousArray<Candidate>
        @usableFromInline let candidateRange: ContiguousArray<Range<Int>>
        /// The leaf the machine starts in.
        @usableFromInline let initialLeaf: Int
        @usableFromInline let issues: [String]

        init(_ compiled: ChartBuilder<Definition>) {
            nodes = compiled.nodes
            rules = compiled.rules
            ruleNode = compiled.ruleNode
            nodeOfState = compiled.nodeOfState
            issues = compiled.issues
            var candidates = ContiguousArray<Candidate>()
            var ranges = ContiguousArray<Range<Int>>()
            for index in compiled.nodes.indices {
                let start = candidates.count
                var node = index
                while node >= 0 {
                    for rule in compiled.nodes[node].rules {
                        candidates.append(Candidate(event: compiled.rules[rule].event, rule: rule))
                    }
                    node = compiled.nodes[node].parent
                }
                ranges.append(start..<candidates.count)
            }
            self.candidates = candidates
            self.candidateRange = ranges
            var leaf = 0
            while leaf < compiled.nodes.count, compiled.nodes[leaf].initial >= 0 {
                leaf = compiled.nodes[leaf].initial
            }
            initialLeaf = leaf
            let nodeOfState = compiled.nodeOfState
            guards = ContiguousArray(compiled.rules.map { $0.guardCheck.map(GuardCode.init) })
            actions = ContiguousArray(compiled.rules.map { $0.action.map(ActionCode.init) })
            hotRules = ContiguousArray(compiled.rules.indices.map { index in
                let rule = compiled.rules[index]
                let move: Move
                switch rule.kind {
                case .postpone: move = .postpone
                case .transition(.none, _): move = .stay
                case .transition(.state(let state), let reenter):
                    move = .go(target: nodeOfState[state] ?? 0, history: false, reenter: reenter)
                case .transition(.history(let state), let reenter):
                    move = .go(target: nodeOfState[state] ?? 0, history: true, reenter: reenter)
                }
                return HotRule(
                    hasGuard: rule.guardCheck != nil,
                    hasAction: rule.action != nil, move: move, source: compiled.ruleNode[index],
                    answersVoid: rule.answersVoid)
            })
        }
    }

    @usableFromInline let tables: Tables

    @usableFromInline var nodes: [CompiledNode] { tables.nodes }
    @usableFromInline var rules: [On<Definition>] { tables.rules }
    @usableFromInline var ruleNode: [Int] { tables.ruleNode }
    @usableFromInline var nodeOfState: [State: Int] { tables.nodeOfState }
    @usableFromInline var candidates: ContiguousArray<Candidate> { tables.candidates }
    @usableFromInline var candidateRange: ContiguousArray<Range<Int>> { tables.candidateRange }
    @usableFromInline var initialLeaf: Int { tables.initialLeaf }

    /// Problems found in the declaration; empty for a chart that can run.
    public var issues: [String] { tables.issues }

    /// Compiles a chart whose top-level states are declared in `body`; `initial` is the top-level state the
    /// machine starts in. Rules declared at the top level apply in every state.
    public init(initial: State, @NodeBuilder<Definition> _ body: () -> [NodeItem<Definition>]) {
        var builder = ChartBuilder<Definition>()
        builder.add(Node<Definition>(initial: initial, items: body()), parent: -1)
        tables = Tables(builder.finish())
    }

    // MARK: Queries used by the core, diagrams and graphs

    /// Every state in declaration order (depth first).
    public var states: [State] { nodes.compactMap(\.state) }

    /// The parent of `state`, or `nil` for a top-level state.
    @inlinable public func parent(of state: State) -> State? {
        guard let node = nodeOfState[state] else { return nil }
        return nodes[nodes[node].parent].state
    }

    /// The children of `state`, in declaration order (empty for a leaf).
    @inlinable public func children(of state: State) -> [State] {
        guard let node = nodeOfState[state] else { return [] }
        return nodes[node].children.compactMap { nodes[$0].state }
    }

    /// Whether `state` has children.
    @inlinable public func isCompound(_ state: State) -> Bool { !children(of: state).isEmpty }

    /// The top-level states.
    public var topLevelStates: [State] { nodes[0].children.compactMap { nodes[$0].state } }

    /// The state the machine starts in (a leaf).
    public var initialState: State { nodes[initialLeaf].state ?? states[0] }

    @inlinable func isAncestor(_ ancestor: Int, of node: Int) -> Bool {
        var current = node
        while current >= 0 {
            if current == ancestor { return true }
            current = nodes[current].parent
        }
        return false
    }

    /// The leaf reached by entering `node` with default (initial) entry.
    @inlinable func defaultLeaf(under node: Int) -> Int {
        var leaf = node
        while nodes[leaf].initial >= 0 { leaf = nodes[leaf].initial }
        return leaf
    }
}

extension Node {
    /// The root: a node without a state whose children are the top-level states.
    @inlinable init(initial: Definition.State, items: [NodeItem<Definition>]) {
        self.state = nil
        self.initial = initial
        self.items = items
    }
}

/// Flattens the declared tree into indexed nodes and rules, collecting declaration mistakes.
struct ChartBuilder<Definition: Statechart> {
    public typealias State = Definition.State
    var nodes: [Chart<Definition>.CompiledNode] = []
    var rules: [On<Definition>] = []
    var ruleNode: [Int] = []
    var nodeOfState: [State: Int] = [:]
    var issues: [String] = []
    var pendingInitials: [(node: Int, initial: State)] = []

    mutating func add(_ node: Node<Definition>, parent: Int) {
        let index = nodes.count
        let depth = parent < 0 ? 0 : nodes[parent].depth + 1
        nodes.append(.init(state: node.state, parent: parent, depth: depth))
        if parent >= 0 { nodes[parent].children.append(index) }
        if let state = node.state {
            if nodeOfState[state] != nil {
                issues.append("state \(state) is declared twice")
            } else {
                nodeOfState[state] = index
            }
        }
        var timerNames = Set<String>()
        for item in node.items {
            switch item.kind {
            case .child(let child): add(child, parent: index)
            case .rule(let rule):
                nodes[index].rules.append(rules.count)
                rules.append(rule)
                ruleNode.append(index)
            case .entry(let entry): nodes[index].entries.append(entry)
            case .exit(let exit): nodes[index].exits.append(exit)
            case .invoke(let invoke): nodes[index].invokes.append(invoke)
            case .timer(let timer):
                if !timerNames.insert(timer.name).inserted {
                    issues.append("\(describe(index)) declares timer \"\(timer.name)\" twice")
                }
                nodes[index].timers.append(timer)
            }
        }
        if let initial = node.initial { pendingInitials.append((index, initial)) }
    }

    func describe(_ node: Int) -> String {
        nodes[node].state.map { "state \($0)" } ?? "the chart"
    }

    mutating func finish() -> Self {
        for (node, initial) in pendingInitials {
            if let child = nodeOfState[initial], nodes[child].parent == node {
                nodes[node].initial = child
            } else {
                issues.append("\(describe(node))'s initial state \(initial) is not one of its children")
            }
        }
        for index in nodes.indices where !nodes[index].children.isEmpty && nodes[index].initial < 0 {
            if !pendingInitials.contains(where: { $0.node == index }) {
                issues.append("\(describe(index)) has children but no initial state")
            }
        }
        for state in State.allCases where nodeOfState[state] == nil {
            issues.append("state \(state) is not declared in the chart")
        }
        for (index, rule) in rules.enumerated() {
            guard case .transition(let target, _) = rule.kind else { continue }
            switch target {
            case .none: break
            case .state(let state):
                if nodeOfState[state] == nil {
                    issues.append("rule On(\(rule.eventName)) in \(describe(ruleNode[index])) targets undeclared \(state)")
                }
            case .history(let state):
                if let node = nodeOfState[state], nodes[node].children.isEmpty {
                    issues.append("rule On(\(rule.eventName)) in \(describe(ruleNode[index])) targets the history of leaf \(state)")
                }
            }
        }
        return self
    }
}

/// A rule's guard, on `(event, context)` pointers. A struct around the closure: a closure stored directly
/// as an array element is kept in its most general form, and calling it from unspecialized code would
/// allocate a reabstraction thunk on every step.
@usableFromInline struct GuardCode: Sendable {
    @usableFromInline let run: @Sendable (UnsafeRawPointer, UnsafeRawPointer) -> Bool

    init(_ run: @escaping @Sendable (UnsafeRawPointer, UnsafeRawPointer) -> Bool) {
        self.run = run
    }
}

/// A rule's action, on `(event, turn base)` pointers (a struct for the reason given at ``GuardCode``).
@usableFromInline struct ActionCode: Sendable {
    @usableFromInline let run: @Sendable (UnsafeRawPointer, UnsafeRawPointer) -> Void

    init(_ run: @escaping @Sendable (UnsafeRawPointer, UnsafeRawPointer) -> Void) {
        self.run = run
    }
}
