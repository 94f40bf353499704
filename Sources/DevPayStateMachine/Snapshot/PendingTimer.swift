/// A timer waiting to fire: its kind, its absolute deadline on the machine's clock and the event it sends.
public struct PendingTimer<Event: Sendable, Instant: InstantProtocol>: Sendable {
    /// State timeout, event timeout or a named timer.
    public var kind: TimerKind
    /// When it fires, on the machine's clock.
    public var deadline: Instant
    /// The event it sends to the machine.
    public var event: Event
    /// Orders timers with equal deadlines by the order they were set; not part of the snapshot format.
    var token: UInt64 = 0

    /// Creates a pending timer (for building snapshots by hand, for example in tests).
    public init(kind: TimerKind, deadline: Instant, event: Event) {
        self.kind = kind
        self.deadline = deadline
        self.event = event
    }

    init(kind: TimerKind, deadline: Instant, event: Event, token: UInt64) {
        self.init(kind: kind, deadline: deadline, event: event)
        self.token = token
    }
}

extension PendingTimer: Codable where Event: Codable, Instant: Codable {
    private enum CodingKeys: String, CodingKey { case kind, deadline, event }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            kind: try container.decode(TimerKind.self, forKey: .kind),
            deadline: try container.decode(Instant.self, forKey: .deadline),
            event: try container.decode(Event.self, forKey: .event)
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(deadline, forKey: .deadline)
        try container.encode(event, forKey: .event)
    }
}

extension PendingTimer: Equatable where Event: Equatable {
    /// Equal kind, deadline and event (the set order is not compared).
    public static func == (lhs: PendingTimer, rhs: PendingTimer) -> Bool {
        lhs.kind == rhs.kind && lhs.deadline == rhs.deadline && lhs.event == rhs.event
    }
}
