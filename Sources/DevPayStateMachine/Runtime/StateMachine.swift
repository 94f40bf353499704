/// The runtime of a machine: owns the current state, applies transitions run-to-completion, performs effects
/// through an owner-provided handler, keeps `gen_statem` timers on an injected clock and publishes what
/// happens.
///
/// Every input (an event sent by a caller, a timer expiring, an effect's result) is one actor turn: the
/// table's pure ``TransitionTable/next(_:_:)`` is called, the state is written and observers are notified
/// with no `await` in between, so no interleaving can observe or act on a half-applied transition.
///
/// ```swift
/// let machine = StateMachine(Turnstile(), initialState: .locked, clock: ContinuousClock()) { effect, _ in
///     await hardware.perform(effect)   // returns an event to feed back, or nil
/// }
/// await machine.send(.coin)
/// ```
public actor StateMachine<Machine: StateMachineDefinition, C: Clock> where C.Duration == Duration {
    /// The machine's state type.
    public typealias State = Machine.State
    /// The machine's event type.
    public typealias Event = Machine.Event

    /// The definition the machine runs.
    public nonisolated let definition: Machine
    /// The definition's table, read once.
    public nonisolated let table: TransitionTable<Machine>
    /// The clock timers and timeouts run on.
    public nonisolated let clock: C

    private var core: RuntimeCore<Machine, C.Instant>
    private let effectHandler: EffectHandler
    private var timerTasks: [TimerKind: Task<Void, Never>] = [:]
    private var effectTasks: [UInt64: (scope: EffectScope, task: Task<Void, Never>)] = [:]
    private var nextEffectTaskID: UInt64 = 0
    private var stopped = false
    private var inputCount: UInt64 = 0
    private var inputWaiters: [(count: UInt64, continuation: CheckedContinuation<Void, Never>)] = []

    private let stateSubscribers = Subscribers<State>(missedNotice: nil)
    private let transitionSubscribers = Subscribers<Observed<TransitionRecord<Machine, C.Instant>>>(
        missedNotice: { .missed($0) })
    private let rejectionSubscribers = Subscribers<Observed<Rejection<Machine>>>(missedNotice: { .missed($0) })

    /// Creates a running machine in `initialState`.
    ///
    /// - Parameters:
    ///   - definition: the machine's declaration.
    ///   - initialState: the state to start in (no transition is published for it).
    ///   - clock: the clock for timers and for transition times; a `ManualClock` in tests.
    ///   - effects: performs the effects transitions ask for.
    public init(_ definition: Machine, initialState: State, clock: C, effects: @escaping EffectHandler) {
        self.definition = definition
        self.table = definition.table
        self.clock = clock
        self.core = RuntimeCore(table: table, state: initialState)
        self.effectHandler = effects
    }

    deinit {
        timerTasks.values.forEach { $0.cancel() }
        effectTasks.values.forEach { $0.task.cancel() }
        stateSubscribers.finish()
        transitionSubscribers.finish()
        rejectionSubscribers.finish()
    }

    // MARK: State

    /// The current state.
    public var state: State { core.state }

    /// The current state visit: starts at 0 and grows by one each time a transition leaves the state (or
    /// re-enters it with ``Reentry/reset``). Effect results are tagged with it.
    public var generation: UInt64 { core.generation }

    /// The timers waiting to fire, earliest deadline first.
    public var pendingTimers: [PendingTimer<Event, C.Instant>] { core.pendingTimers }

    /// Whether ``stop()`` was called.
    public var isStopped: Bool { stopped }

    // MARK: Input

    /// Offers `event` to the machine and applies the result at once.
    ///
    /// An accepted event updates the state, publishes the transition (and the new state, if it changed),
    /// applies its timer instructions and starts its effects. A rejected event changes nothing and is
    /// published on ``rejections(bufferLimit:)``. Either way the pending event timeout is cancelled.
    /// A timer set with a zero duration fires within this same call, right after the transition (as in
    /// `gen_statem`), so its order relative to later events is deterministic.
    ///
    /// - Returns: the transition, so a caller can react to a rejection directly.
    @discardableResult
    public func send(_ event: Event) -> Transition<Machine> {
        guard !stopped else {
            let rejection = Rejection<Machine>(state: core.state, event: event, reason: .stopped)
            rejectionSubscribers.publish(.next(rejection))
            return .rejected(rejection)
        }
        let now = clock.now
        let transition = apply(event, now: now)
        fireDueTimers(now: now)
        return transition
    }

    /// One run-to-completion step: decide, write the state, publish, then start timers and effects.
    private func apply(_ event: Event, now: C.Instant) -> Transition<Machine> {
        let previous = core.state
        let (transition, actions) = core.handle(event, now: now)
        switch transition {
        case .accepted(let step):
            transitionSubscribers.publish(
                .next(TransitionRecord(from: step.from, event: event, to: step.to, time: now, generation: core.generation)))
            if step.leavesState || step.to != previous {
                stateSubscribers.publish(step.to)
            }
        case .rejected(let rejection):
            rejectionSubscribers.publish(.next(rejection))
        }
        perform(actions)
        countInput()
        return transition
    }

    /// Fires every timer due at `now`, earliest deadline first, ties in the order they were set.
    private func fireDueTimers(now: C.Instant) {
        while !stopped, let (kind, event) = core.expireNextDue(now: now) {
            timerTasks.removeValue(forKey: kind)?.cancel()
            _ = apply(event, now: now)
        }
    }

    /// Stops the machine: cancels every timer and effect, finishes every observation stream and rejects
    /// later events with ``RejectionReason/stopped``.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        inputWaiters.forEach { $0.continuation.resume() }
        inputWaiters.removeAll()
        timerTasks.values.forEach { $0.cancel() }
        timerTasks.removeAll()
        effectTasks.values.forEach { $0.task.cancel() }
        effectTasks.removeAll()
        stateSubscribers.finish()
        transitionSubscribers.finish()
        rejectionSubscribers.finish()
    }

    // MARK: Observation

    /// A new stream of states for one subscriber: the current state first, then each state entered.
    ///
    /// A re-entry with ``Reentry/reset`` is published even though the value is unchanged. The stream keeps
    /// the newest `bufferLimit` states if its subscriber falls behind; use ``transitions(bufferLimit:)`` for a
    /// lossless history. It finishes when the machine stops; cancelling the iteration unsubscribes.
    public func states(bufferLimit: Int = 1024) -> AsyncStream<State> {
        stateSubscribers.subscribe(bufferLimit: bufferLimit, initial: stopped ? nil : core.state)
    }

    /// A new stream of every transition applied from now on, for one subscriber.
    ///
    /// Lossless up to `bufferLimit` buffered notices; beyond that the subscriber receives
    /// ``Observed/missed(_:)`` with the number it lost, where it lost them.
    public func transitions(bufferLimit: Int = 1024) -> AsyncStream<Observed<TransitionRecord<Machine, C.Instant>>> {
        transitionSubscribers.subscribe(bufferLimit: bufferLimit)
    }

    /// A new stream of every rejected event from now on (including stale effect results), for one
    /// subscriber, with the same overflow accounting as ``transitions(bufferLimit:)``.
    public func rejections(bufferLimit: Int = 1024) -> AsyncStream<Observed<Rejection<Machine>>> {
        rejectionSubscribers.subscribe(bufferLimit: bufferLimit)
    }

    /// The number of live subscribers across all streams (a subscriber that went away is not counted).
    public var subscriberCount: Int {
        stateSubscribers.count + transitionSubscribers.count + rejectionSubscribers.count
    }

    // MARK: Timers and effects

    private func perform(_ actions: [RuntimeCore<Machine, C.Instant>.Action]) {
        for action in actions {
            switch action {
            case .arm(let kind, _, let deadline):
                timerTasks[kind]?.cancel()
                timerTasks[kind] = Task { [weak self, clock] in
                    do {
                        try await clock.sleep(until: deadline, tolerance: nil)
                    } catch {
                        return
                    }
                    await self?.timerWoke()
                }
            case .disarm(let kind):
                timerTasks.removeValue(forKey: kind)?.cancel()
            case .cancelStateScopedEffects:
                for (id, entry) in effectTasks where entry.scope == .state {
                    entry.task.cancel()
                    effectTasks[id] = nil
                }
            case .perform(let effects, let state, let generation):
                start(effects, state: state, generation: generation)
            }
        }
    }

    /// Arms restored timers, then fires those whose deadline has passed, earliest first.
    func rearm(_ timers: [PendingTimer<Event, C.Instant>]) {
        perform(core.restore(timers))
        fireDueTimers(now: clock.now)
    }

    private func timerWoke() {
        fireDueTimers(now: clock.now)
    }

    private func start(_ effects: [Machine.Effect], state: State, generation: UInt64) {
        // One task per scope keeps the order of a transition's effects within each scope.
        for scope in [EffectScope.state, .machine] {
            let scoped = effects.filter { definition.scope(of: $0) == scope }
            guard !scoped.isEmpty else { continue }
            nextEffectTaskID &+= 1
            let id = nextEffectTaskID
            let context = EffectContext<Machine>(state: state, generation: generation, scope: scope)
            let handler = effectHandler
            effectTasks[id] = (
                scope,
                Task { [weak self] in
                    for effect in scoped {
                        if scope == .state, Task.isCancelled { break }
                        if let result = await handler(effect, context) {
                            await self?.deliver(result, from: context)
                        }
                    }
                    await self?.effectTaskFinished(id)
                }
            )
        }
    }

    // MARK: Progress, for the testing kit

    /// How many inputs (events sent, timers fired, effect results delivered) the machine has applied.
    package var appliedInputCount: UInt64 { inputCount }

    /// Suspends until the machine has applied at least `count` inputs, or has stopped.
    package func waitUntilApplied(_ count: UInt64) async {
        guard inputCount < count, !stopped else { return }
        await withCheckedContinuation { continuation in
            inputWaiters.append((count, continuation))
        }
    }

    private func countInput() {
        inputCount += 1
        guard !inputWaiters.isEmpty else { return }
        let count = inputCount
        inputWaiters.removeAll { waiter in
            guard waiter.count <= count else { return false }
            waiter.continuation.resume()
            return true
        }
    }

    private func deliver(_ result: Event, from context: EffectContext<Machine>) {
        if context.scope == .state, context.generation != core.generation {
            let reason = RejectionReason.staleResult(startedIn: context.generation, current: core.generation)
            rejectionSubscribers.publish(.next(Rejection(state: core.state, event: result, reason: reason)))
            return
        }
        send(result)
    }

    private func effectTaskFinished(_ id: UInt64) {
        effectTasks[id] = nil
    }

    /// The number of effect tasks still running (for tests and diagnostics).
    public var runningEffectCount: Int { effectTasks.count }
}

extension StateMachine where Machine.Effect == Never {
    /// Creates a running machine whose definition declares no effects (`Effect == Never`).
    public init(_ definition: Machine, initialState: State, clock: C) {
        self.init(definition, initialState: initialState, clock: clock, effects: Self.performNothing)
    }

    private static func performNothing(_ effect: Never, _ context: EffectContext<Machine>) async -> Event? {}
}
