/// An accepted transition: what the pure core decided for one event in one state.
public struct Step<Machine: StateMachineDefinition>: Sendable {
    /// The state before the event.
    public var from: Machine.State
    /// The event.
    public var event: Machine.Event
    /// The state after the event (equal to `from` for an internal transition).
    public var to: Machine.State
    /// The effects to perform, in order.
    public var effects: [Machine.Effect]
    /// The timer instructions, in order.
    public var timers: [TimerCommand<Machine.Event>]
    /// Whether the state visit ends: the state changed, or it was re-entered with ``Reentry/reset``.
    /// A runtime cancels the state timeout and the state-scoped effects exactly when this is `true`.
    public var leavesState: Bool
    /// The index of the rule that decided, in ``TransitionTable/rules``; used by coverage reports.
    public var ruleIndex: Int
}

/// Why an event was not accepted.
public enum RejectionReason: Sendable, Hashable, CustomStringConvertible {
    /// No rule of the table reacts to this event in this state.
    case notAccepted
    /// Rules react to this event in this state, but the guard of each (named here, in table order) failed.
    case guardFailed([String])
    /// A rule computed a target it did not declare (a definition bug, reported instead of a crash).
    case undeclaredTarget(String)
    /// The result of an effect arrived after the state visit that started it had ended; it was dropped.
    case staleResult(startedIn: UInt64, current: UInt64)
    /// The machine was stopped.
    case stopped

    public var description: String {
        switch self {
        case .notAccepted: "not accepted in this state"
        case .guardFailed(let names): "guard failed: \(names.joined(separator: ", "))"
        case .undeclaredTarget(let target): "rule moved to undeclared target \(target)"
        case .staleResult(let started, let current):
            "stale effect result from state visit \(started) (current visit \(current))"
        case .stopped: "the machine is stopped"
        }
    }
}

/// An event that was not applied: the state it arrived in, the event and why.
public struct Rejection<Machine: StateMachineDefinition>: Error, Sendable {
    /// The state the machine was in (and stays in).
    public var state: Machine.State
    /// The rejected event.
    public var event: Machine.Event
    /// Why it was rejected.
    public var reason: RejectionReason
}

/// The result of offering one event to one state: accepted with a ``Step``, or rejected.
public enum Transition<Machine: StateMachineDefinition>: Sendable {
    /// The event is accepted.
    case accepted(Step<Machine>)
    /// The event is rejected; the state does not change and nothing is performed.
    case rejected(Rejection<Machine>)

    /// The state after the event: the target if accepted, else the unchanged state.
    public var state: Machine.State {
        switch self {
        case .accepted(let step): step.to
        case .rejected(let rejection): rejection.state
        }
    }

    /// The step, if accepted.
    public var step: Step<Machine>? {
        if case .accepted(let step) = self { step } else { nil }
    }

    /// The rejection, if rejected.
    public var rejection: Rejection<Machine>? {
        if case .rejected(let rejection) = self { rejection } else { nil }
    }
}

extension Step: Equatable where Machine.Event: Equatable, Machine.Effect: Equatable {}
extension Rejection: Equatable where Machine.Event: Equatable {}
extension Transition: Equatable where Machine.Event: Equatable, Machine.Effect: Equatable {}
