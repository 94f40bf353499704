/// A pure simulation of the runtime on virtual time: state, state visits and `gen_statem` timers, with no
/// actor, task or clock.
///
/// It applies exactly the rules ``StateMachine`` applies (it shares their implementation), so it serves as
/// the model that a running machine is checked against, and lets a test explore timer behaviour without
/// waiting. Effects are returned as data in each ``Transition``; nothing performs them.
public struct MachineModel<Machine: StateMachineDefinition, Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
    private var core: RuntimeCore<Machine, Instant>

    /// The simulated time.
    public private(set) var now: Instant

    /// Creates a model in `initialState` at time `now`.
    public init(_ definition: Machine, initialState: Machine.State, now: Instant) {
        self.init(table: definition.table, initialState: initialState, now: now)
    }

    /// Creates a model over an already-built table.
    public init(table: TransitionTable<Machine>, initialState: Machine.State, now: Instant) {
        self.core = RuntimeCore(table: table, state: initialState)
        self.now = now
    }

    /// The current state.
    public var state: Machine.State { core.state }

    /// The current state visit, as ``StateMachine/generation``.
    public var generation: UInt64 { core.generation }

    /// The pending timers, earliest deadline first.
    public var pendingTimers: [PendingTimer<Machine.Event, Instant>] { core.pendingTimers }

    /// The earliest pending deadline, if any.
    public var nextDeadline: Instant? { core.nextDeadline }

    /// Offers `event` now; returns its transition followed by those of timers it made due at once
    /// (zero-duration timers).
    public mutating func send(_ event: Machine.Event) -> [Transition<Machine>] {
        var transitions = [core.handle(event, now: now).0]
        transitions += fireDue()
        return transitions
    }

    /// Moves time to `instant` (never backwards), firing each timer at its own deadline in order; returns
    /// the transitions of the fired timers' events.
    public mutating func advance(to instant: Instant) -> [Transition<Machine>] {
        var transitions: [Transition<Machine>] = []
        while let deadline = core.nextDeadline, deadline <= instant {
            if deadline > now { now = deadline }
            transitions += fireDue()
        }
        if instant > now { now = instant }
        return transitions
    }

    private mutating func fireDue() -> [Transition<Machine>] {
        var transitions: [Transition<Machine>] = []
        while let (_, event) = core.expireNextDue(now: now) {
            transitions.append(core.handle(event, now: now).0)
        }
        return transitions
    }
}
