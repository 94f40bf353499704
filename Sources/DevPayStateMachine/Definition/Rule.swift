/// A named condition on `(state, event)` that a rule requires; its name appears in diagrams and rejections.
public struct Guard<Machine: StateMachineDefinition>: Sendable {
    /// A short description, for example `"attempts left"`.
    public var name: String
    /// Decides whether the rule applies.
    public var predicate: @Sendable (Machine.State, Machine.Event) -> Bool

    /// Creates a guard.
    public init(_ name: String, _ predicate: @escaping @Sendable (Machine.State, Machine.Event) -> Bool) {
        self.name = name
        self.predicate = predicate
    }
}

/// One row of a transition table: in one of `sources`, on `event`, if `guard` holds, compute an outcome whose
/// target is one of `targets`.
///
/// The declared `targets` make the table enumerable for diagrams, coverage and graph queries; an outcome
/// whose target is not declared is rejected with ``RejectionReason/undeclaredTarget(_:)`` rather than
/// silently drawing a wrong diagram. A rule that stays or re-enters must declare its source as a target.
public struct Rule<Machine: StateMachineDefinition>: Sendable {
    /// The machine's state type.
    public typealias State = Machine.State
    /// The machine's event type.
    public typealias Event = Machine.Event

    /// The states in which the rule applies.
    public let sources: [State.Name]
    /// The event the rule reacts to.
    public let event: Event.Name
    /// Every state the rule may move to.
    public let targets: [State.Name]
    /// The condition, if any.
    public let `guard`: Guard<Machine>?
    let decide: @Sendable (State, Event) -> Outcome<Machine>

    /// Creates a rule whose outcome depends on the state's and event's payloads.
    ///
    /// - Parameters:
    ///   - sources: the states in which the rule applies.
    ///   - event: the event it reacts to.
    ///   - targets: every state `decide` may move to (include a source if `decide` may stay).
    ///   - guard: a condition checked before `decide`.
    ///   - decide: computes the outcome; it must be pure.
    public init(
        from sources: [State.Name],
        on event: Event.Name,
        to targets: [State.Name],
        when guard: Guard<Machine>? = nil,
        _ decide: @escaping @Sendable (State, Event) -> Outcome<Machine>
    ) {
        self.sources = sources
        self.event = event
        self.targets = targets
        self.guard = `guard`
        self.decide = decide
    }

    /// Creates a rule with one source whose outcome depends on the payloads.
    public init(
        from source: State.Name,
        on event: Event.Name,
        to targets: [State.Name],
        when guard: Guard<Machine>? = nil,
        _ decide: @escaping @Sendable (State, Event) -> Outcome<Machine>
    ) {
        self.init(from: [source], on: event, to: targets, when: `guard`, decide)
    }

    /// Creates a rule that always moves to the fixed state `target` with fixed effects and timers.
    public init(
        from sources: [State.Name],
        on event: Event.Name,
        to target: State,
        when guard: Guard<Machine>? = nil,
        effects: [Machine.Effect] = [],
        timers: [TimerCommand<Event>] = [],
        reentry: Reentry = .keep
    ) {
        let outcome = Outcome<Machine>(target: target, effects: effects, timers: timers, reentry: reentry)
        self.init(from: sources, on: event, to: [target.name], when: `guard`) { _, _ in outcome }
    }

    /// Creates a rule with one source that always moves to the fixed state `target`.
    public init(
        from source: State.Name,
        on event: Event.Name,
        to target: State,
        when guard: Guard<Machine>? = nil,
        effects: [Machine.Effect] = [],
        timers: [TimerCommand<Event>] = [],
        reentry: Reentry = .keep
    ) {
        self.init(
            from: [source], on: event, to: target, when: `guard`, effects: effects, timers: timers, reentry: reentry
        )
    }
}

/// Collects ``Rule`` values written one per line into a ``TransitionTable``.
@resultBuilder
public enum RuleBuilder<Machine: StateMachineDefinition> {
    /// One rule.
    public static func buildExpression(_ rule: Rule<Machine>) -> [Rule<Machine>] { [rule] }
    /// Several rules built elsewhere.
    public static func buildExpression(_ rules: [Rule<Machine>]) -> [Rule<Machine>] { rules }
    /// Rules in declaration order.
    public static func buildBlock(_ parts: [Rule<Machine>]...) -> [Rule<Machine>] { parts.flatMap { $0 } }
    /// Rules under an `if`.
    public static func buildOptional(_ rules: [Rule<Machine>]?) -> [Rule<Machine>] { rules ?? [] }
    /// Rules of an `if` branch.
    public static func buildEither(first rules: [Rule<Machine>]) -> [Rule<Machine>] { rules }
    /// Rules of an `else` branch.
    public static func buildEither(second rules: [Rule<Machine>]) -> [Rule<Machine>] { rules }
    /// Rules from a `for` loop.
    public static func buildArray(_ parts: [[Rule<Machine>]]) -> [Rule<Machine>] { parts.flatMap { $0 } }
}
