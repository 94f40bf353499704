public import DevPayStateMachine
public import Testing

/// Steps a ``Statechart`` purely, on virtual time, and makes the test account for everything the chart
/// asks for (TCA's `TestStore`, for statecharts).
///
/// Each input (``send(_:state:disposition:sourceLocation:_:)``, ``call(_:state:sourceLocation:_:)``,
/// ``deliver(_:from:state:disposition:sourceLocation:_:)``, ``advance(by:state:sourceLocation:_:)``) runs
/// one step of ``ChartCore`` and checks the new state and context against what the test says changed. In
/// the default, exhaustive mode every command of the step — each effect started or cancelled, each timer
/// set or cancelled, each reply or failure of a call — must then be asserted with an `expect…` method
/// before the next input; one left unasserted fails the test (as an `Issue`), and so do effects still
/// running and timers still armed when the store finishes. With ``Exhaustivity/off`` only what the test
/// asserts is checked, for coarse tests that care about the outcome.
///
/// ```swift
/// let store = ChartTestStore(Download(), context: .init())
/// let start = store.call(Download.Start(url: "u"), state: .downloading) { $0.url = "u" }
/// store.expectReply(start, true)
/// let fetch = store.expectEffect(.fetch(url: "u", from: 0))
/// store.expectTimer("stall", after: .seconds(30))
/// store.advance(by: .seconds(30), state: .failed)          // the stall timer fires
/// store.expectEffectCancelled(fetch)
/// store.finish()                                            // or let the store go: it finishes on deinit
/// ```
///
/// Timers run on the store's virtual clock: ``advance(by:state:sourceLocation:_:)`` fires each timer that
/// comes due, in deadline order; a zero-duration timer fires within the step that set it, as on the actor.
public final class ChartTestStore<Definition: Statechart>
where Definition.Context: Equatable, Definition.Effect: Equatable {
    /// How strictly the store checks a test.
    public enum Exhaustivity: Sendable, Hashable {
        /// Every change of state and context and every command must be asserted.
        case on
        /// Only what the test asserts is checked.
        case off
    }

    /// A call made through the store, whose reply the test asserts with ``ChartTestStore/expectReply(_:_:sourceLocation:)``.
    public struct Call<Reply: Sendable>: Sendable {
        /// The call's identifier, as in the chart's commands and ``CallCancelled``.
        public let id: CallID
        let eventName: String
    }

    /// How strictly this store checks; may change in the middle of a test.
    public var exhaustivity: Exhaustivity

    /// The pure core being stepped.
    public private(set) var core: ChartCore<Definition>
    /// The virtual time elapsed since the store was created.
    public private(set) var now: Duration = .zero

    private var unasserted: [ChartCommand<Definition>] = []
    private var armed: [TimerID<Definition.State>: ArmedTimer] = [:]
    private var running: [EffectID: Definition.Effect] = [:]
    private var nextCall: UInt64 = 0
    private var skipsInFlight = false
    private var finished = false
    private let createdAt: SourceLocation

    fileprivate struct ArmedTimer {
        var deadline: Duration
        var generation: UInt64
        /// Order of arming, so timers due at the same instant fire in the order they were set.
        var sequence: UInt64
        /// The type of the event it sends.
        var eventType: ObjectIdentifier
    }
    private var timerSequence: UInt64 = 0

    /// Creates a store in the chart's initial state. The commands of entering it (invoked effects, declared
    /// timers) are the first to assert.
    public init(
        _ definition: Definition,
        context: Definition.Context,
        exhaustivity: Exhaustivity = .on,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        self.exhaustivity = exhaustivity
        self.createdAt = sourceLocation
        self.core = ChartCore(definition, context: context)
        absorb(core.commands)
        fireDueTimers()
    }

    deinit {
        if !finished { finish(sourceLocation: createdAt) }
    }

    // MARK: Reading

    /// The active leaf state.
    public var state: Definition.State { core.state }
    /// The chart's data.
    public var context: Definition.Context { core.context }
    /// The effects started and neither finished nor cancelled.
    public var runningEffects: [EffectID: Definition.Effect] { running }
    /// The armed timers.
    public var armedTimers: Set<TimerID<Definition.State>> { Set(armed.keys) }

    // MARK: Inputs

    /// Sends `event` and checks the step: the chart must take it as `disposition` (`.handled` unless
    /// said otherwise), end in leaf `state` (unchanged unless given) and change the context exactly as
    /// `update` does to the context before the step (unchanged unless given).
    @discardableResult
    public func send<Event: ChartEvent>(
        _ event: Event,
        state: Definition.State? = nil,
        disposition: Disposition = .handled,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ update: ((inout Definition.Context) -> Void)? = nil
    ) -> Disposition {
        step("send(\(Event.eventName))", state: state, sourceLocation: sourceLocation, update) {
            let actual = self.input { $0.send(event) }
            if actual != disposition {
                Issue.record("\(Event.eventName) was \(actual), expected \(disposition)", sourceLocation: sourceLocation)
            }
            return actual
        }
    }

    /// Sends `event` as a call and checks the step as ``send(_:state:disposition:sourceLocation:_:)``
    /// does. Its reply (or failure) is a command like any other: assert it with
    /// ``expectReply(_:_:sourceLocation:)`` or ``expectFailure(_:_:sourceLocation:)``.
    @discardableResult
    public func call<Event: ChartEvent>(
        _ event: Event,
        state: Definition.State? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ update: ((inout Definition.Context) -> Void)? = nil
    ) -> Call<Event.Reply> {
        nextCall += 1
        let id = CallID(nextCall)
        step("call(\(Event.eventName))", state: state, sourceLocation: sourceLocation, update) {
            self.input { $0.send(event, call: id) }
        }
        return Call(id: id, eventName: Event.eventName)
    }

    /// Cancels the caller of `call`: the chart fails it with ``CallError/cancelled`` (assert it with
    /// ``expectFailure(_:_:sourceLocation:)``) and receives ``CallCancelled``.
    public func cancel<Reply>(
        _ call: Call<Reply>,
        state: Definition.State? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ update: ((inout Definition.Context) -> Void)? = nil
    ) {
        step("cancel(\(call.id))", state: state, sourceLocation: sourceLocation, update) {
            self.input { $0.cancelCall(call.id, eventName: call.eventName) }
        }
    }

    /// Delivers `event` as sent by the running effect `effect` and checks the step. `disposition` is what
    /// the chart should do with it; `nil` asserts that the event is dropped because the effect was
    /// cancelled or had finished (a stale result).
    @discardableResult
    public func deliver<Event: ChartEvent>(
        _ event: Event,
        from effect: EffectID,
        state: Definition.State? = nil,
        disposition: Disposition? = .handled,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ update: ((inout Definition.Context) -> Void)? = nil
    ) -> Disposition? {
        step("deliver(\(Event.eventName), from: \(effect))", state: state, sourceLocation: sourceLocation, update) {
            let actual = self.input { $0.deliver(event, from: effect) }
            if actual != disposition {
                Issue.record(
                    "\(Event.eventName) from \(effect) was \(actual.map { "\($0)" } ?? "dropped"), expected \(disposition.map { "\($0)" } ?? "dropped")",
                    sourceLocation: sourceLocation)
            }
            return actual
        }
    }

    /// Tells the chart that `effect`'s work returned; its later events are dropped.
    public func finishEffect(_ effect: EffectID, sourceLocation: SourceLocation = #_sourceLocation) {
        step("finishEffect(\(effect))", state: nil, sourceLocation: sourceLocation, nil) {
            self.input { $0.effectFinished(effect) }
        }
        running[effect] = nil
    }

    /// Moves virtual time forward by `duration`, firing each timer that comes due (in deadline order, each
    /// at its deadline), and checks the state and context after the last one.
    public func advance(
        by duration: Duration,
        state: Definition.State? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ update: ((inout Definition.Context) -> Void)? = nil
    ) {
        precondition(duration >= .zero, "virtual time never goes back")
        let target = now + duration
        step("advance(by: \(duration))", state: state, sourceLocation: sourceLocation, update) {
            while let (id, timer) = self.nextDue(by: target) {
                self.now = timer.deadline
                self.fire(id, timer)
            }
            self.now = target
        }
    }

    /// Sends an event whose type is known only at run time (path runs use it), without checks.
    func send(any event: any ChartEvent) -> Disposition {
        unasserted.removeAll()
        return input { $0.send(any: event) }
    }

    /// Moves virtual time to the deadline of the earliest armed timer that sends an event of type
    /// `eventType`, firing it and every timer due before it, without checks; `false` if none is armed.
    func advanceToTimer(sending eventType: any ChartEvent.Type) -> Bool {
        let wanted = ObjectIdentifier(eventType)
        let candidates = armed.filter { $0.value.eventType == wanted }
        guard let deadline = candidates.values.map(\.deadline).min() else { return false }
        unasserted.removeAll()
        while let (id, timer) = nextDue(by: deadline) {
            now = timer.deadline
            fire(id, timer)
            if timer.eventType == wanted { break }
        }
        fireDueTimers()
        return true
    }

    /// Everything a step changes, so a path run can try an input and take it back.
    struct Snapshot {
        fileprivate var core: ChartCore<Definition>
        fileprivate var now: Duration
        fileprivate var unasserted: [ChartCommand<Definition>]
        fileprivate var armed: [TimerID<Definition.State>: ArmedTimer]
        fileprivate var running: [EffectID: Definition.Effect]
        fileprivate var timerSequence: UInt64
    }

    func snapshot() -> Snapshot {
        Snapshot(core: core, now: now, unasserted: unasserted, armed: armed, running: running, timerSequence: timerSequence)
    }

    func restore(_ snapshot: Snapshot) {
        (core, now, unasserted, armed, running, timerSequence) =
            (snapshot.core, snapshot.now, snapshot.unasserted, snapshot.armed, snapshot.running, snapshot.timerSequence)
    }

    // MARK: Assertions

    /// Asserts that `effect` was started, and returns its identifier (to deliver its events, finish it or
    /// assert its cancellation).
    @discardableResult
    public func expectEffect(_ effect: Definition.Effect, sourceLocation: SourceLocation = #_sourceLocation) -> EffectID {
        let found = take(sourceLocation, "effect \(effect) started") {
            if case .startEffect(let id, let started, _) = $0, started == effect { id } else { nil }
        }
        return found ?? EffectID(.max)
    }

    /// Asserts that the running effect `effect` was cancelled (its region was left).
    public func expectEffectCancelled(_ effect: EffectID, sourceLocation: SourceLocation = #_sourceLocation) {
        _ = take(sourceLocation, "\(effect) cancelled") {
            if case .cancelEffect(let id) = $0, id == effect { () } else { nil }
        }
    }

    /// Asserts that the timer `name` was set to fire after `duration` (in the region of `scope`, when given).
    public func expectTimer(
        _ name: String, after duration: Duration, in scope: Definition.State? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        _ = take(sourceLocation, "timer \"\(name)\" set for \(duration)") {
            if case .setTimer(let id, let after, _, _) = $0, id.name == name, after == duration,
                scope == nil || id.scope == scope
            { () } else { nil }
        }
    }

    /// Asserts that the timer `name` was cancelled.
    public func expectTimerCancelled(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        _ = take(sourceLocation, "timer \"\(name)\" cancelled") {
            if case .cancelTimer(let id) = $0, id.name == name { () } else { nil }
        }
    }

    /// Asserts that `call` was answered with `reply`.
    public func expectReply<Reply: Equatable & Sendable>(
        _ call: Call<Reply>, _ reply: Reply, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        _ = take(sourceLocation, "\(call.id) answered with \(reply)") {
            if case .reply(let id, let given) = $0, id == call.id, given as? Reply == reply { () } else { nil }
        }
    }

    /// Asserts that `call` ended with `error`.
    public func expectFailure<Reply>(
        _ call: Call<Reply>, _ error: CallError, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        _ = take(sourceLocation, "\(call.id) failed with \(error)") {
            if case .fail(let id, let given) = $0, id == call.id, given == error { () } else { nil }
        }
    }

    /// Forgets the commands not yet asserted (for a test that does not care about them at this point).
    public func skipCommands() {
        unasserted.removeAll()
    }

    /// Lets the test end with effects running and timers armed (they are not reported by ``finish(sourceLocation:)``).
    public func skipInFlight() {
        skipsInFlight = true
    }

    /// Ends the test: in exhaustive mode, reports the commands not asserted, the effects still running and
    /// the timers still armed. Called by `deinit` if the test does not.
    public func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        finished = true
        guard exhaustivity == .on else { return }
        reportUnasserted("at the end of the test", sourceLocation)
        guard !skipsInFlight else { return }
        if !running.isEmpty || !armed.isEmpty {
            let effects = running.sorted { $0.key.rawValue < $1.key.rawValue }.map { "  \($0.key): \($0.value)" }
            let timers = armed.keys.map { "  timer \($0)" }.sorted()
            Issue.record(
                Comment(rawValue: "Still in flight at the end of the test (finish or cancel them, or call skipInFlight()):\n"
                    + (effects + timers).joined(separator: "\n")),
                sourceLocation: sourceLocation)
        }
    }

    // MARK: Stepping

    @discardableResult
    private func step<Result>(
        _ input: String,
        state expectedState: Definition.State?,
        sourceLocation: SourceLocation,
        _ update: ((inout Definition.Context) -> Void)?,
        _ body: () -> Result
    ) -> Result {
        if exhaustivity == .on { reportUnasserted("before \(input)", sourceLocation) }
        unasserted.removeAll()
        let before = (state: core.state, context: core.context)
        let result = body()
        check(input, before: before, state: expectedState, update, sourceLocation)
        return result
    }

    private func check(
        _ input: String,
        before: (state: Definition.State, context: Definition.Context),
        state expectedState: Definition.State?,
        _ update: ((inout Definition.Context) -> Void)?,
        _ sourceLocation: SourceLocation
    ) {
        if let expectedState, expectedState != core.state {
            Issue.record("after \(input) the chart is in \(core.state), expected \(expectedState)", sourceLocation: sourceLocation)
        } else if expectedState == nil, exhaustivity == .on, before.state != core.state {
            Issue.record(
                "after \(input) the chart moved from \(before.state) to \(core.state); assert it with state: \(core.state)",
                sourceLocation: sourceLocation)
        }
        var expected: Definition.Context
        switch exhaustivity {
        case .on: expected = before.context
        case .off:
            guard update != nil else { return }
            expected = core.context
        }
        update?(&expected)
        if expected != core.context {
            Issue.record(
                Comment(rawValue: "after \(input) the context differs from the expected one:\n  expected: \(expected)\n  actual:   \(core.context)"),
                sourceLocation: sourceLocation)
        }
    }

    /// Runs one input of the core, takes in its commands and fires the timers it set to zero.
    private func input<Result>(_ body: (inout ChartCore<Definition>) -> Result) -> Result {
        let result = body(&core)
        absorb(core.commands)
        fireDueTimers()
        return result
    }

    /// Adds a step's commands to those to assert and keeps the books on effects and timers.
    private func absorb(_ commands: [ChartCommand<Definition>]) {
        for command in commands {
            switch command {
            case .startEffect(let id, let effect, _): running[id] = effect
            case .cancelEffect(let id): running[id] = nil
            case .setTimer(let id, let after, let event, let generation):
                timerSequence += 1
                armed[id] = ArmedTimer(
                    deadline: now + after, generation: generation, sequence: timerSequence,
                    eventType: ObjectIdentifier(type(of: event)))
            case .cancelTimer(let id): armed[id] = nil
            case .reply, .fail: break
            }
        }
        unasserted += commands
    }

    private func nextDue(by deadline: Duration) -> (TimerID<Definition.State>, ArmedTimer)? {
        armed.filter { $0.value.deadline <= deadline }
            .min { ($0.value.deadline, $0.value.sequence) < ($1.value.deadline, $1.value.sequence) }
            .map { ($0.key, $0.value) }
    }

    private func fire(_ id: TimerID<Definition.State>, _ timer: ArmedTimer) {
        armed[id] = nil
        core.fire(id, generation: timer.generation)
        absorb(core.commands)
    }

    /// Fires the timers already due (zero-duration ones), as the actor does within the same input.
    private func fireDueTimers() {
        while let (id, timer) = nextDue(by: now) { fire(id, timer) }
    }

    private func take<Found>(
        _ sourceLocation: SourceLocation, _ what: String, _ match: (ChartCommand<Definition>) -> Found?
    ) -> Found? {
        for (index, command) in unasserted.enumerated() {
            if let found = match(command) {
                unasserted.remove(at: index)
                return found
            }
        }
        let left = unasserted.isEmpty ? "none" : unasserted.map { "\($0)" }.joined(separator: ", ")
        Issue.record(
            Comment(rawValue: "expected \(what), but the chart did not ask for it (unasserted commands: \(left))"),
            sourceLocation: sourceLocation)
        return nil
    }

    private func reportUnasserted(_ when: String, _ sourceLocation: SourceLocation) {
        guard !unasserted.isEmpty else { return }
        let list = unasserted.map { "  \($0)" }.joined(separator: "\n")
        Issue.record(
            Comment(rawValue: "\(unasserted.count) command(s) of the chart not asserted \(when):\n\(list)"),
            sourceLocation: sourceLocation)
        unasserted.removeAll()
    }
}
