/// One notice of a bounded observation stream: a value, or how many values this subscriber missed.
///
/// Streams such as ``StateMachine/transitions(bufferLimit:)`` buffer up to a bound per subscriber. When a
/// slow subscriber's buffer is full, later values are counted instead of queued, and the subscriber receives
/// `.missed(count)` exactly where the gap is, before the values that follow it: loss is never silent.
public enum Observed<Element: Sendable>: Sendable {
    /// The next value.
    case next(Element)
    /// `count` values were dropped here because the subscriber's buffer was full.
    case missed(Int)

    /// The value, if this notice carries one.
    public var value: Element? {
        if case .next(let element) = self { element } else { nil }
    }
}

extension Observed: Equatable where Element: Equatable {}

/// One applied transition as observers see it.
public struct TransitionRecord<Machine: StateMachineDefinition, Instant: InstantProtocol>: Sendable {
    /// The state before.
    public var from: Machine.State
    /// The event.
    public var event: Machine.Event
    /// The state after.
    public var to: Machine.State
    /// When the machine applied it, on its clock.
    public var time: Instant
    /// The state visit after the transition (see ``StateMachine/generation``).
    public var generation: UInt64
}

extension TransitionRecord: Equatable where Machine.Event: Equatable {}

/// Why a wait on a machine ended without a result.
public enum StateMachineError: Error, Sendable, Hashable {
    /// No matching value arrived within the timeout (measured on the machine's clock).
    case timedOut(after: Duration)
    /// The machine was stopped before a matching value arrived.
    case stopped
}
