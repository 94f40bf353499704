/// The runtime's bookkeeping as a pure value: current state, state visit (generation) and pending timers.
///
/// It reads no clock and starts no task: every input returns the ``Action``s the ``StateMachine`` actor must
/// perform, so timer and scoping rules are decided in one place, synchronously, inside one actor turn.
struct RuntimeCore<Machine: StateMachineDefinition, Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
    typealias State = Machine.State
    typealias Event = Machine.Event

    struct ArmedTimer: Sendable {
        var token: UInt64
        var deadline: Instant
        var event: Event
    }

    enum Action: Sendable {
        /// Start (or restart) the sleeping task for `kind`; it reports back with `token`.
        case arm(TimerKind, token: UInt64, deadline: Instant)
        /// Stop the sleeping task for `kind`.
        case disarm(TimerKind)
        /// The state visit ended: cancel the work of state-scoped effects.
        case cancelStateScopedEffects
        /// Perform `effects` in order for the state visit `generation`.
        case perform([Machine.Effect], state: State, generation: UInt64)
    }

    let table: TransitionTable<Machine>
    private(set) var state: State
    /// The state visit: incremented each time a transition leaves the state (or re-enters it with reset).
    private(set) var generation: UInt64
    private(set) var timers: [TimerKind: ArmedTimer] = [:]
    private var nextToken: UInt64 = 0

    init(table: TransitionTable<Machine>, state: State, generation: UInt64 = 0) {
        self.table = table
        self.state = state
        self.generation = generation
    }

    /// Offers `event` to the machine at time `now`.
    mutating func handle(_ event: Event, now: Instant) -> (Transition<Machine>, [Action]) {
        var actions: [Action] = []
        // gen_statem: any event, accepted or not, cancels the event timeout.
        if timers.removeValue(forKey: .eventTimeout) != nil {
            actions.append(.disarm(.eventTimeout))
        }
        let transition = table.next(state, event)
        guard case .accepted(let step) = transition else {
            return (transition, actions)
        }
        state = step.to
        if step.leavesState {
            generation &+= 1
            actions.append(.cancelStateScopedEffects)
            if timers.removeValue(forKey: .stateTimeout) != nil {
                actions.append(.disarm(.stateTimeout))
            }
        }
        for command in step.timers {
            apply(command, now: now, into: &actions)
        }
        if !step.effects.isEmpty {
            actions.append(.perform(step.effects, state: state, generation: generation))
        }
        return (transition, actions)
    }

    /// Removes the timer that is due first at `now` (earliest deadline, then the one set first) and returns
    /// its kind and event; `nil` when no timer is due.
    ///
    /// Firing through this one door, rather than per waking task, makes timers with equal deadlines fire in
    /// the order they were set, however the tasks that sleep for them are scheduled.
    mutating func expireNextDue(now: Instant) -> (kind: TimerKind, event: Event)? {
        let due = timers.filter { $0.value.deadline <= now }
            .min { ($0.value.deadline, $0.value.token) < ($1.value.deadline, $1.value.token) }
        guard let (kind, timer) = due else {
            return nil
        }
        timers[kind] = nil
        return (kind, timer.event)
    }

    /// The earliest pending deadline.
    var nextDeadline: Instant? {
        timers.values.map(\.deadline).min()
    }

    /// Re-installs timers from a snapshot; the caller fires the overdue ones.
    mutating func restore(_ pending: [PendingTimer<Event, Instant>]) -> [Action] {
        var actions: [Action] = []
        for timer in pending {
            actions.append(arm(timer.kind, deadline: timer.deadline, event: timer.event))
        }
        return actions
    }

    /// The pending timers, earliest deadline first.
    var pendingTimers: [PendingTimer<Event, Instant>] {
        timers
            .map { PendingTimer(kind: $0.key, deadline: $0.value.deadline, event: $0.value.event, token: $0.value.token) }
            .sorted { ($0.deadline, $0.token) < ($1.deadline, $1.token) }
    }

    private mutating func apply(_ command: TimerCommand<Event>, now: Instant, into actions: inout [Action]) {
        switch command {
        case .stateTimeout(let duration, let event):
            actions.append(arm(.stateTimeout, deadline: now.advanced(by: duration), event: event))
        case .cancelStateTimeout:
            if timers.removeValue(forKey: .stateTimeout) != nil {
                actions.append(.disarm(.stateTimeout))
            }
        case .eventTimeout(let duration, let event):
            actions.append(arm(.eventTimeout, deadline: now.advanced(by: duration), event: event))
        case .start(let name, let duration, let event):
            actions.append(arm(.named(name), deadline: now.advanced(by: duration), event: event))
        case .cancel(let name):
            if timers.removeValue(forKey: .named(name)) != nil {
                actions.append(.disarm(.named(name)))
            }
        }
    }

    private mutating func arm(_ kind: TimerKind, deadline: Instant, event: Event) -> Action {
        nextToken &+= 1
        timers[kind] = ArmedTimer(token: nextToken, deadline: deadline, event: event)
        return .arm(kind, token: nextToken, deadline: deadline)
    }
}
