/// What happens when a machine transitions into the state it is already in.
public enum Reentry: Sendable, Hashable {
    /// The state visit continues: its state timeout and its state-scoped effects keep running.
    case keep
    /// The state is left and entered again: its state timeout is cancelled and its state-scoped effects are
    /// cancelled (their results become stale), as for a change to another state.
    case reset
}

/// What a rule decides for one `(state, event)`: the target state, the effects to perform and the timers to
/// set. Rules build one with ``to(_:effects:timers:)``, ``stay(effects:timers:)`` or
/// ``reenter(effects:timers:)``.
public struct Outcome<Machine: StateMachineDefinition>: Sendable {
    /// The target state, or `nil` to stay in the current one.
    public var target: Machine.State?
    /// The effects to perform, in order.
    public var effects: [Machine.Effect]
    /// The timer instructions, applied in order after the state is updated.
    public var timers: [TimerCommand<Machine.Event>]
    /// What a transition to the current state means.
    public var reentry: Reentry

    /// Creates an outcome.
    public init(
        target: Machine.State?,
        effects: [Machine.Effect] = [],
        timers: [TimerCommand<Machine.Event>] = [],
        reentry: Reentry = .keep
    ) {
        self.target = target
        self.effects = effects
        self.timers = timers
        self.reentry = reentry
    }

    /// Moves to `state`. If `state` equals the current state the visit continues (``Reentry/keep``).
    public static func to(
        _ state: Machine.State,
        effects: [Machine.Effect] = [],
        timers: [TimerCommand<Machine.Event>] = []
    ) -> Outcome {
        Outcome(target: state, effects: effects, timers: timers, reentry: .keep)
    }

    /// Stays in the current state (an internal transition): timers and scoped effects keep running.
    public static func stay(
        effects: [Machine.Effect] = [],
        timers: [TimerCommand<Machine.Event>] = []
    ) -> Outcome {
        Outcome(target: nil, effects: effects, timers: timers, reentry: .keep)
    }

    /// Leaves and re-enters the current state: its state timeout and scoped effects are cancelled first.
    public static func reenter(
        effects: [Machine.Effect] = [],
        timers: [TimerCommand<Machine.Event>] = []
    ) -> Outcome {
        Outcome(target: nil, effects: effects, timers: timers, reentry: .reset)
    }

    /// Moves to `state`, treating a move to the current state as a re-entry (``Reentry/reset``).
    public static func reenter(
        _ state: Machine.State,
        effects: [Machine.Effect] = [],
        timers: [TimerCommand<Machine.Event>] = []
    ) -> Outcome {
        Outcome(target: state, effects: effects, timers: timers, reentry: .reset)
    }
}
