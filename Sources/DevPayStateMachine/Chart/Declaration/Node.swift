/// A state of a chart, with what happens in it: its rules, entry and exit actions, timers, invoked
/// effects and child states. A node with children is a compound state; entering it enters its `initial`
/// child (or, through ``On/init(_:toHistoryOf:when:_:)``, the child that was active when it was last left).
///
/// ```swift
/// Node(.active, initial: .downloading) {
///     On(Cancel.self, to: .idle)                 // applies in every child unless a child overrides it
///     Node(.downloading) {
///         Invoke("fetch") { context in .fetch(url: context.url) }
///         After(.seconds(30), "stall", send: Stalled())
///         On(Pause.self, to: .paused)
///     }
///     Node(.paused) { On(Resume.self, to: .downloading) }
/// }
/// ```
public struct Node<Definition: Statechart>: Sendable {
    @usableFromInline let state: Definition.State?
    @usableFromInline let initial: Definition.State?
    @usableFromInline let items: [NodeItem<Definition>]

    /// Declares the state `state`; `initial` names the child entered by default (required when the node
    /// has children, and must be one of them).
    @inlinable public init(
        _ state: Definition.State,
        initial: Definition.State? = nil,
        @NodeBuilder<Definition> _ body: () -> [NodeItem<Definition>] = { [] }
    ) {
        self.state = state
        self.initial = initial
        self.items = body()
    }
}

/// One element of a node's body, collected by ``NodeBuilder``.
public struct NodeItem<Definition: Statechart>: Sendable {
    @usableFromInline enum Kind: Sendable {
        case child(Node<Definition>)
        case rule(On<Definition>)
        case entry(Entry<Definition>)
        case exit(Exit<Definition>)
        case invoke(Invoke<Definition>)
        case timer(After<Definition>)
    }

    @usableFromInline let kind: Kind
}

/// Collects a node's body written one declaration per line.
@resultBuilder
public enum NodeBuilder<Definition: Statechart> {
    public static func buildExpression(_ node: Node<Definition>) -> [NodeItem<Definition>] {
        [NodeItem(kind: .child(node))]
    }
    public static func buildExpression(_ rule: On<Definition>) -> [NodeItem<Definition>] {
        [NodeItem(kind: .rule(rule))]
    }
    public static func buildExpression(_ postpone: Postpone<Definition>) -> [NodeItem<Definition>] {
        [NodeItem(kind: .rule(postpone.rule))]
    }
    public static func buildExpression<Phase: StateActionPhase>(_ action: StateAction<Definition, Phase>) -> [NodeItem<Definition>] {
        if Phase.self == EntryPhase.self { return [NodeItem(kind: .entry(Entry(action.name, action.action)))] }
        return [NodeItem(kind: .exit(Exit(action.name, action.action)))]
    }
    public static func buildExpression(_ invoke: Invoke<Definition>) -> [NodeItem<Definition>] {
        [NodeItem(kind: .invoke(invoke))]
    }
    public static func buildExpression(_ timer: After<Definition>) -> [NodeItem<Definition>] {
        [NodeItem(kind: .timer(timer))]
    }
    public static func buildExpression(_ items: [NodeItem<Definition>]) -> [NodeItem<Definition>] { items }
    public static func buildBlock(_ parts: [NodeItem<Definition>]...) -> [NodeItem<Definition>] {
        parts.flatMap { $0 }
    }
    public static func buildOptional(_ items: [NodeItem<Definition>]?) -> [NodeItem<Definition>] { items ?? [] }
    public static func buildEither(first items: [NodeItem<Definition>]) -> [NodeItem<Definition>] { items }
    public static func buildEither(second items: [NodeItem<Definition>]) -> [NodeItem<Definition>] { items }
    public static func buildArray(_ parts: [[NodeItem<Definition>]]) -> [NodeItem<Definition>] {
        parts.flatMap { $0 }
    }
}

/// An action run each time its node is entered, outermost node first, after the transition's own action:
/// `Entry("name") { turn in … }`.
public typealias Entry<Definition: Statechart> = StateAction<Definition, EntryPhase>

/// An action run each time its node is left, innermost node first, before the transition's own action:
/// `Exit("name") { turn in … }`.
public typealias Exit<Definition: Statechart> = StateAction<Definition, ExitPhase>

/// When a ``StateAction`` runs: ``EntryPhase`` or ``ExitPhase``.
public protocol StateActionPhase: Sendable {}
/// Marks a ``StateAction`` run on entry.
public enum EntryPhase: StateActionPhase {}
/// Marks a ``StateAction`` run on exit.
public enum ExitPhase: StateActionPhase {}

/// An entry or exit action of a node (written ``Entry`` or ``Exit``).
public struct StateAction<Definition: Statechart, Phase: StateActionPhase>: Sendable {
    @usableFromInline let name: String
    @usableFromInline let action: @Sendable (inout Turn<Definition, Void>) -> Void

    /// Declares the action; `name` is what diagrams show.
    @inlinable public init(_ name: String, _ action: @escaping @Sendable (inout Turn<Definition, Void>) -> Void) {
        self.name = name
        self.action = action
    }
}

/// An effect started each time its node is entered and cancelled when the node is left (XState's invoked
/// actor). The effect may send any number of events back; those it sends after its node was left are
/// dropped and inspected as ``InspectionRecord/effectResultDropped(_:event:in:)``.
public struct Invoke<Definition: Statechart>: Sendable {
    @usableFromInline let name: String
    @usableFromInline let make: @Sendable (Definition.Context) -> Definition.Effect?

    /// Declares the effect to start on entry, computed from the context (`nil` starts nothing); `name` is
    /// what diagrams show.
    @inlinable public init(_ name: String, _ make: @escaping @Sendable (Definition.Context) -> Definition.Effect?) {
        self.name = name
        self.make = make
    }
}

/// A timer armed each time its node is entered and cancelled when the node is left (`gen_statem`'s state
/// timeout, XState's `after`), in the region of the node that declares it: moving between the children of
/// a compound node keeps the compound node's timers running.
public struct After<Definition: Statechart>: Sendable {
    @usableFromInline let duration: Duration
    @usableFromInline let name: String
    @usableFromInline let event: any ChartEvent

    /// Declares a timer that sends `event` when `duration` has passed in the node; `name` identifies it
    /// for ``Turn/restartTimer(_:)`` and diagrams.
    @inlinable public init(_ duration: Duration, _ name: String, send event: some ChartEvent) {
        self.duration = duration
        self.name = name
        self.event = event
    }
}
