import DequeModule

/// Runs a ``Statechart`` on an actor: every input (an event sent or called, a timer firing, an effect's
/// event) is one run-to-completion step of the pure ``ChartCore``, then the actor performs what the step
/// asked for (starts and cancels effect tasks, arms and disarms timers on the injected clock, answers
/// calls) and publishes what happened.
///
/// ```swift
/// let machine = await ChartMachine(Download(), context: .init(), clock: ContinuousClock()) { effect, io in
///     switch effect {
///     case .fetch(let url):
///         for await bytes in download(url) { await io.send(Download.Progress(bytes: bytes)) }
///         await io.send(Download.Finished())
///     }
/// }
/// try await machine.call(Download.Start(url: "https://example.com/file"))
/// ```
public actor ChartMachine<Definition: Statechart, C: Clock> where C.Duration == Duration {
    /// Performs one effect; events sent through the context reach the chart while the effect's region
    /// is active and are dropped visibly afterwards. The task is cancelled when the region is left.
    public typealias EffectHandler = @Sendable (Definition.Effect, EffectIO<Definition, C>) async -> Void

    /// The clock timers run on.
    public nonisolated let clock: C
    /// The compiled chart.
    public nonisolated let chart: Chart<Definition>

    @usableFromInline var core: ChartCore<Definition>
    @usableFromInline let handler: EffectHandler
    @usableFromInline var effectTasks: [EffectID: Task<Void, Never>] = [:]
    @usableFromInline var timerTasks: [TimerID<Definition.State>: Task<Void, Never>] = [:]
    @usableFromInline var dueTimers: [(TimerID<Definition.State>, UInt64)] = []
    @usableFromInline var pendingCalls: [CallID: UnsafeContinuation<Result<any Sendable, CallError>, Never>] = [:]
    @usableFromInline var nextCall: UInt64 = 0
    @usableFromInline var stopped = false
    @usableFromInline var publishedState: Definition.State
    @usableFromInline let inspectors = Broadcast<InspectionRecord<Definition>>()
    @usableFromInline let stateWatchers = Broadcast<Definition.State>()

    /// Creates a machine and enters the chart's initial state (starting its invoked effects and timers).
    ///
    /// - Parameters:
    ///   - definition: the chart.
    ///   - context: the chart's initial data.
    ///   - clock: the clock for timers; a manual clock in tests.
    ///   - effects: performs the chart's effects.
    /// - Precondition: the chart has no ``Chart/issues``.
    public init(
        _ definition: Definition, context: Definition.Context, clock: C, effects: @escaping EffectHandler
    ) async {
        self.clock = clock
        self.core = ChartCore(definition, context: context)
        self.chart = core.chart
        self.handler = effects
        self.publishedState = core.state
        perform()
    }

    deinit {
        effectTasks.values.forEach { $0.cancel() }
        timerTasks.values.forEach { $0.cancel() }
        inspectors.finish()
        stateWatchers.finish()
    }

    // MARK: Reading

    /// The active leaf state.
    @inlinable public var state: Definition.State { core.state }
    /// The active states, outermost first.
    @inlinable public var activeStates: [Definition.State] { core.activeStates }
    /// The chart's data.
    @inlinable public var context: Definition.Context { core.context }
    /// Whether `state` is active (the leaf or one of its ancestors).
    @inlinable public func isActive(_ state: Definition.State) -> Bool { core.isActive(state) }
    /// Whether ``stop()`` was called.
    @inlinable public var isStopped: Bool { stopped }
    /// The number of effect tasks running.
    @inlinable public var runningEffectCount: Int { effectTasks.count }
    /// The number of postponed events waiting for a change of state.
    @inlinable public var postponedEventCount: Int { core.work.postponed.count }
    /// The armed timers.
    @inlinable public var armedTimers: Set<TimerID<Definition.State>> { core.armedTimers }

    // MARK: Input

    /// Offers `event` and applies it at once (run to completion, including the events its rules raised
    /// and the postponed events a change of state released). After ``stop()``, every event is rejected.
    @discardableResult
    @inlinable public func send<Event: ChartEvent>(_ event: Event) -> Disposition {
        guard !stopped else { return .rejected }
        let disposition = core.send(event)
        perform()
        return disposition
    }

    /// Offers `event`, whose type is known only at run time.
    @discardableResult
    @inlinable public func send(any event: any ChartEvent) -> Disposition {
        send(event)
    }

    /// Offers `event` as a call and returns the chart's reply, when the chart gives it: in the same step,
    /// or later through a ``ReplyToken`` (after effects and further transitions), or after the event was
    /// postponed and then taken.
    ///
    /// - Throws: ``CallError/rejected(state:event:)`` when no rule takes the event,
    ///   ``CallError/stopped`` when the machine stops first, ``CallError/cancelled`` when the calling task
    ///   is cancelled first (the chart then receives ``CallCancelled``), ``CallError/unanswered(event:)``
    ///   when the rule that took it neither answered nor promised to.
    @discardableResult
    @inlinable public func call<Event: ChartEvent>(_ event: Event) async throws(CallError) -> Event.Reply {
        guard !stopped else { throw .stopped }
        nextCall &+= 1
        let id = CallID(nextCall)
        _ = core.send(event, call: id)
        let immediate = performSettling(id)
        let result: Result<any Sendable, CallError>
        if let immediate {
            result = immediate
        } else {
            result = await withTaskCancellationHandler {
                await withUnsafeContinuation { continuation in pendingCalls[id] = continuation }
            } onCancel: {
                Task { await self.callerCancelled(id, eventName: Event.eventName) }
            }
        }
        switch result {
        case .success(let reply):
            // The token and the rule's `reply` are typed by `Event.Reply`, so this cannot fail.
            return reply as! Event.Reply
        case .failure(let error):
            throw error
        }
    }

    @inlinable func callerCancelled(_ call: CallID, eventName: String) {
        guard pendingCalls[call] != nil, !stopped else { return }
        core.cancelCall(call, eventName: eventName)
        perform()
    }

    /// Stops the machine: fails pending calls with ``CallError/stopped``, cancels every effect and timer,
    /// and ends every observation stream (after a final `.missed(n)` for a subscriber that lost notices).
    @inlinable public func stop() {
        guard !stopped else { return }
        stopped = true
        core.stop()
        perform()
        dueTimers.removeAll()
        inspectors.finish()
        stateWatchers.finish()
    }

    // MARK: Observation

    /// A stream of every inspection record from now on: transitions, entries and exits, rejections and
    /// postponements, timers set, cancelled and fired, effects started, finished, cancelled and their
    /// dropped results, calls answered and failed. A subscriber that falls more than `bufferLimit` behind
    /// receives `.missed(n)` where it lost notices, including just before the stream ends.
    @inlinable public func inspect(bufferLimit: Int = 1024) -> ObservationStream<InspectionRecord<Definition>> {
        core.isTracing = true
        return inspectors.subscribe(bufferLimit: bufferLimit)
    }

    /// A stream of the active leaf state: the current one first, then each change, with `.missed(n)` where
    /// a slow subscriber lost states (never silently).
    @inlinable public func states(bufferLimit: Int = 64) -> ObservationStream<Definition.State> {
        stateWatchers.subscribe(bufferLimit: bufferLimit, initial: stopped ? nil : core.state)
    }

    // MARK: Performing what a step asked for

    @inlinable func perform() {
        _ = performSettling(nil)
    }

    /// Performs the last step's commands and publishes its trace; returns the outcome of `call` if the
    /// step settled it (so the caller need not suspend).
    @inlinable func performSettling(_ call: CallID?) -> Result<any Sendable, CallError>? {
        var settled: Result<any Sendable, CallError>?
        while true {
            for command in core.commands {
                switch command {
                case .startEffect(let id, let effect, _):
                    startEffect(id, effect)
                case .cancelEffect(let id):
                    effectTasks.removeValue(forKey: id)?.cancel()
                case .setTimer(let id, let duration, _, let generation):
                    arm(id, after: duration, generation: generation)
                case .cancelTimer(let id):
                    timerTasks.removeValue(forKey: id)?.cancel()
                    dueTimers.removeAll { $0.0 == id }
                case .reply(let id, let reply):
                    if id == call { settled = .success(reply) } else { resume(id, .success(reply)) }
                case .fail(let id, let error):
                    if id == call { settled = .failure(error) } else { resume(id, .failure(error)) }
                }
            }
            publish()
            // Timers set with a zero duration fire within this same input, in the order they were set.
            guard !dueTimers.isEmpty, !stopped else { return settled }
            let (timer, generation) = dueTimers.removeFirst()
            core.fire(timer, generation: generation)
        }
    }

    @inlinable func publish() {
        if core.isTracing {
            for record in core.trace { inspectors.publish(record) }
        }
        let state = core.state
        if state != publishedState {
            publishedState = state
            stateWatchers.publish(state)
        }
    }

    @inlinable func resume(_ call: CallID, _ result: Result<any Sendable, CallError>) {
        pendingCalls.removeValue(forKey: call)?.resume(returning: result)
    }

    @inlinable func startEffect(_ id: EffectID, _ effect: Definition.Effect) {
        let context = EffectIO<Definition, C>(id: id, machine: self)
        let handler = handler
        effectTasks[id] = Task {
            await handler(effect, context)
            await context.machine?.effectReturned(id)
        }
    }

    @inlinable func effectReturned(_ id: EffectID) {
        effectTasks[id] = nil
        guard !stopped else { return }
        core.effectFinished(id)
        perform()
    }

    /// An event from effect `id`: handled if the effect still runs, dropped (and inspected) otherwise.
    @inlinable func deliver<Event: ChartEvent>(_ event: Event, from id: EffectID) -> Bool {
        guard !stopped else { return false }
        let disposition = core.deliver(event, from: id)
        perform()
        return disposition != nil
    }

    @inlinable func arm(_ id: TimerID<Definition.State>, after duration: Duration, generation: UInt64) {
        timerTasks.removeValue(forKey: id)?.cancel()
        guard duration > .zero else {
            dueTimers.append((id, generation))
            return
        }
        let deadline = clock.now.advanced(by: duration)
        timerTasks[id] = Task { [weak self, clock] in
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch {
                return
            }
            await self?.timerWoke(id, generation: generation)
        }
    }

    @inlinable func timerWoke(_ id: TimerID<Definition.State>, generation: UInt64) {
        guard !stopped else { return }
        timerTasks[id] = nil
        core.fire(id, generation: generation)
        perform()
    }
}

/// What an effect's work can do: send events back to its machine, for as long as the effect runs.
public struct EffectIO<Definition: Statechart, C: Clock>: Sendable where C.Duration == Duration {
    /// The effect's identifier (as in inspection records).
    public let id: EffectID
    @usableFromInline weak var machine: ChartMachine<Definition, C>?

    @inlinable init(id: EffectID, machine: ChartMachine<Definition, C>) {
        self.id = id
        self.machine = machine
    }

    /// Sends `event` to the machine; returns `false` when it was dropped because the effect was cancelled
    /// (its region was left) or the machine stopped. A dropped event is inspected as
    /// ``InspectionRecord/effectResultDropped(_:event:in:)``.
    @discardableResult
    @inlinable public func send<Event: ChartEvent>(_ event: Event) async -> Bool {
        await machine?.deliver(event, from: id) ?? false
    }
}
