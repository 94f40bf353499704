/// A named condition a rule requires, checked against the context and the typed event.
public struct Condition<Definition: Statechart, Event: ChartEvent>: Sendable {
    @usableFromInline let name: String
    @usableFromInline let predicate: @Sendable (Definition.Context, Event) -> Bool

    /// Declares a guard; `name` is what diagrams and graph queries show.
    @inlinable public init(_ name: String, _ predicate: @escaping @Sendable (Definition.Context, Event) -> Bool) {
        self.name = name
        self.predicate = predicate
    }
}

/// Where a rule goes.
@usableFromInline enum RuleTarget<State: ChartState>: Sendable {
    /// Stays in the current states (an internal transition: nothing is exited or entered).
    case none
    /// Moves to the state (and its initial descendants).
    case state(State)
    /// Moves to the state and then to the child that was active when it was last left (shallow history).
    case history(State)
}

/// A rule: in its node (and every descendant that does not override it), on an event of type `Event`, if
/// the guard holds, run the action and move to the target.
///
/// Rules of a node are tried in declaration order, those of a child before those of its parent; the first
/// whose guard holds is taken. The action receives the event typed and can change the context, start
/// effects, set timers and answer calls (``Turn``).
///
/// ```swift
/// On(Progress.self) { $0.context.received += $0.event.bytes }          // internal: no exit, no entry
/// On(Pause.self, to: .paused)
/// On(Start.self, to: .active, when: Condition("has url") { _, start in !start.url.isEmpty }) {
///     $0.context.url = $0.event.url
///     $0.reply(true)
/// }
/// ```
public struct On<Definition: Statechart>: Sendable {
    @usableFromInline enum Kind: Sendable {
        case transition(RuleTarget<Definition.State>, reenter: Bool)
        case postpone
    }

    @usableFromInline let event: ObjectIdentifier
    @usableFromInline let eventType: any ChartEvent.Type
    @usableFromInline let eventName: String
    @usableFromInline let kind: Kind
    @usableFromInline let guardName: String?
    /// The guard on `(event, context)` pointers. Pointers rather than typed values: a closure type that
    /// mentions no generic parameter is called without a reabstraction thunk (which would allocate).
    @usableFromInline let guardCheck: (@Sendable (UnsafeRawPointer, UnsafeRawPointer) -> Bool)?
    /// The action on `(event, turn base)` pointers, for the same reason.
    @usableFromInline let action: (@Sendable (UnsafeRawPointer, UnsafeRawPointer) -> Void)?
    @usableFromInline let answersVoid: Bool

    @inlinable init<Event: ChartEvent>(
        _ event: Event.Type,
        kind: Kind,
        when guard: Condition<Definition, Event>?,
        _ action: (@Sendable (inout Turn<Definition, Event>) -> Void)?
    ) {
        self.event = ObjectIdentifier(event)
        self.eventType = event
        self.eventName = Event.eventName
        self.kind = kind
        self.guardName = `guard`?.name
        if let predicate = `guard`?.predicate {
            self.guardCheck = { @Sendable (event: UnsafeRawPointer, context: UnsafeRawPointer) -> Bool in
                predicate(
                    context.assumingMemoryBound(to: Definition.Context.self).pointee,
                    event.assumingMemoryBound(to: Event.self).pointee)
            }
        } else {
            self.guardCheck = nil
        }
        if let action {
            self.action = { @Sendable (event: UnsafeRawPointer, base: UnsafeRawPointer) in
                var turn = Turn<Definition, Event>(
                    event: event.assumingMemoryBound(to: Event.self).pointee,
                    base: base.assumingMemoryBound(to: TurnBase<Definition>.self).pointee)
                action(&turn)
            }
        } else {
            self.action = nil
        }
        self.answersVoid = Event.Reply.self == Void.self
    }

    /// Declares a rule that moves to `target`, or stays (an internal transition) when `target` is `nil`.
    ///
    /// With `reenter: true` a target that is the rule's node or one of its descendants exits and enters the
    /// rule's node again (restarting its timers and invoked effects); otherwise the rule's node is kept.
    @inlinable public init<Event: ChartEvent>(
        _ event: Event.Type,
        to target: Definition.State? = nil,
        reenter: Bool = false,
        when guard: Condition<Definition, Event>? = nil,
        _ action: (@Sendable (inout Turn<Definition, Event>) -> Void)? = nil
    ) {
        self.init(event, kind: .transition(target.map { .state($0) } ?? .none, reenter: reenter), when: `guard`, action)
    }

    /// Declares a rule that moves to `target`, then to the child of `target` that was active when
    /// `target` was last left (shallow history), or its initial child the first time.
    @inlinable public init<Event: ChartEvent>(
        _ event: Event.Type,
        toHistoryOf target: Definition.State,
        when guard: Condition<Definition, Event>? = nil,
        _ action: (@Sendable (inout Turn<Definition, Event>) -> Void)? = nil
    ) {
        self.init(event, kind: .transition(.history(target), reenter: false), when: `guard`, action)
    }
}

/// Defers an event its node cannot take yet (`gen_statem`'s postpone): the event, and the call waiting on
/// it, is kept and offered again after the next change of state, in arrival order, before newer events.
///
/// ```swift
/// Node(.connecting) { Postpone(Send.self) }
/// ```
public struct Postpone<Definition: Statechart>: Sendable {
    @usableFromInline let rule: On<Definition>

    /// Declares that events of type `event` wait in this node (if the guard holds).
    @inlinable public init<Event: ChartEvent>(_ event: Event.Type, when guard: Condition<Definition, Event>? = nil) {
        self.rule = On(event, kind: .postpone, when: `guard`, nil)
    }
}
