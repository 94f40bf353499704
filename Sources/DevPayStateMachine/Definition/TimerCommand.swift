/// The name of a named timer (``TimerCommand/start(_:after:sending:)``).
public struct TimerName: Hashable, Codable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name as written.
    public var rawValue: String

    /// Creates a timer name.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { rawValue }
}

/// Which of the three `gen_statem` timer kinds a pending timer is.
public enum TimerKind: Hashable, Codable, Sendable, CustomStringConvertible {
    /// At most one; cancelled when the state changes (or is re-entered with ``Reentry/reset``).
    case stateTimeout
    /// At most one; cancelled by any event the machine receives, accepted or rejected.
    case eventTimeout
    /// Any number, by name; cancelled only by ``TimerCommand/cancel(_:)`` or by starting it again.
    case named(TimerName)

    public var description: String {
        switch self {
        case .stateTimeout: "state timeout"
        case .eventTimeout: "event timeout"
        case .named(let name): "timer \(name)"
        }
    }
}

/// A timer instruction carried by a transition, following Erlang/OTP `gen_statem`.
///
/// When a timer expires the machine receives its event like any other. Setting a timer of a kind that is
/// already pending replaces it. Timers run on the clock injected into ``StateMachine``.
public enum TimerCommand<Event: Sendable>: Sendable {
    /// Sends `event` after `duration` unless the state changes first.
    case stateTimeout(after: Duration, sending: Event)
    /// Cancels the pending state timeout, if any.
    case cancelStateTimeout
    /// Sends `event` after `duration` unless any event arrives first.
    case eventTimeout(after: Duration, sending: Event)
    /// Sends `event` after `duration` unless the timer is cancelled by name; survives state changes.
    case start(TimerName, after: Duration, sending: Event)
    /// Cancels the named timer, if pending.
    case cancel(TimerName)
}

extension TimerCommand: Equatable where Event: Equatable {}
