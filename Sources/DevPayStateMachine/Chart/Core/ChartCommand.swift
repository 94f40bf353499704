/// Identifies one started effect.
public struct EffectID: Hashable, Sendable, CustomStringConvertible {
    /// The core-wide sequence number of the effect.
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public var description: String { "effect #\(rawValue)" }
}

/// Identifies a timer: its name and the state whose region it belongs to (`nil`: the whole machine).
public struct TimerID<State: ChartState>: Hashable, Sendable, CustomStringConvertible {
    /// The timer's name (from ``After`` or ``Turn/setTimer(_:after:sending:in:)``).
    public var name: String
    /// The state whose exit cancels the timer; `nil` for a timer that survives state changes.
    public var scope: State?

    public init(name: String, scope: State?) {
        self.name = name
        self.scope = scope
    }

    public var description: String { scope.map { "\(name) in \($0)" } ?? name }
}

/// Why a call ended without the chart's reply.
public enum CallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No rule in the current state takes the call's event.
    case rejected(state: String, event: String)
    /// The machine was stopped before the chart answered.
    case stopped
    /// The caller's task was cancelled before the chart answered (the chart received ``CallCancelled``).
    case cancelled
    /// The rule that took the event neither answered it nor promised to (``Turn/replyLater()``), and the
    /// event's reply is not `Void`: a mistake in the chart, reported instead of waiting forever.
    case unanswered(event: String)

    public var description: String {
        switch self {
        case .rejected(let state, let event): "\(event) is not taken in state \(state)"
        case .stopped: "the machine stopped before answering"
        case .cancelled: "the caller was cancelled"
        case .unanswered(let event): "the chart took \(event) but did not answer it"
        }
    }
}

/// What became of one event offered to a chart.
public enum Disposition: Sendable, Hashable {
    /// A rule took it.
    case handled
    /// The current state postpones it; it is offered again after the next change of state.
    case postponed
    /// No rule of the current state (or its ancestors) takes it, or no guard held.
    case rejected
}

/// An instruction from the pure core to whoever runs it: the work and the time the chart asked for, and
/// the answers to calls. ``ChartMachine`` performs them; a test store asserts them.
public enum ChartCommand<Definition: Statechart>: Sendable {
    /// Start `effect`; cancel it when `scope` is left (`nil`: only when the machine stops).
    case startEffect(EffectID, Definition.Effect, scope: Definition.State?)
    /// Cancel the running effect (its state was left).
    case cancelEffect(EffectID)
    /// Arm the timer to deliver `event` after `duration`; `generation` tells a later ``ChartCore/fire(_:generation:)``
    /// from an earlier arming of the same timer.
    case setTimer(TimerID<Definition.State>, after: Duration, event: any ChartEvent, generation: UInt64)
    /// Disarm the timer.
    case cancelTimer(TimerID<Definition.State>)
    /// Return `reply` to the caller of `call`.
    case reply(CallID, any Sendable)
    /// End `call` with an error.
    case fail(CallID, CallError)
}

/// One thing that happened inside a machine, in order, as ``ChartMachine/inspect(bufferLimit:)`` reports
/// it.
public enum InspectionRecord<Definition: Statechart>: Sendable {
    /// A rule took `event` in leaf `from` and the machine is now in leaf `to` (equal for an internal
    /// transition).
    case transition(from: Definition.State, event: any ChartEvent, to: Definition.State)
    /// The state was left (innermost first).
    case exited(Definition.State)
    /// The state was entered (outermost first).
    case entered(Definition.State)
    /// No rule took `event` in `state`.
    case rejected(event: any ChartEvent, in: Definition.State)
    /// `state` postponed `event`.
    case postponed(event: any ChartEvent, in: Definition.State)
    /// A timer was armed.
    case timerSet(TimerID<Definition.State>, after: Duration)
    /// A pending timer was disarmed (its region was left, or it was cancelled or set again).
    case timerCancelled(TimerID<Definition.State>)
    /// A timer fired; its event follows.
    case timerFired(TimerID<Definition.State>)
    /// An effect was started.
    case effectStarted(EffectID, Definition.Effect)
    /// An effect's work returned.
    case effectFinished(EffectID)
    /// An effect was cancelled because its region was left (or the machine stopped).
    case effectCancelled(EffectID)
    /// An event sent by an effect that was cancelled or had finished was dropped, in `state`.
    case effectResultDropped(EffectID, event: any ChartEvent, in: Definition.State)
    /// A call was answered.
    case callAnswered(CallID)
    /// A call ended with an error.
    case callFailed(CallID, CallError)
    /// An answer for a call whose caller is gone (cancelled, or answered already) was dropped.
    case replyDropped(CallID)
}
