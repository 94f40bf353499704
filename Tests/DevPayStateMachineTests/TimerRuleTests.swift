import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Testing

/// The gen_statem timer rules, observed through the clock's sleepers (the timer tasks) and the transitions
/// the machine publishes. A cancelled timer must leave no sleeper behind, so advancing the clock can wake
/// nothing; every wait below is on an observable fact, never on a number of yields.
@Suite("timer rules", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct TimerRuleTests {
    let clock = ManualClock()
    let machine: StateMachine<TimerLab, ManualClock>
    var deadline: ManualClock.Instant { ManualClock.Instant(offset: TimerLab.delay) }

    init() {
        machine = StateMachine(TimerLab(), initialState: .a, clock: clock)
    }

    private func nextTransition(
        _ iterator: inout AsyncStream<Observed<TransitionRecord<TimerLab, ManualClock.Instant>>>.Iterator
    ) async throws -> TransitionRecord<TimerLab, ManualClock.Instant> {
        try #require(await iterator.next()?.value)
    }

    @Test("a state timeout fires when the state does not change")
    func stateTimeoutFires() async throws {
        var transitions = await machine.transitions().makeAsyncIterator()
        await machine.send(.armStateTimeout)
        await clock.waitForSleeper(until: deadline)
        clock.advance(to: deadline)
        #expect(try await nextTransition(&transitions).event == .armStateTimeout)
        let fired = try await nextTransition(&transitions)
        #expect(fired.event == .stateTimedOut)
        #expect(fired.time == deadline)
    }

    @Test("a state change cancels the state timeout")
    func stateChangeCancelsStateTimeout() async {
        await machine.send(.armStateTimeout)
        await clock.waitForSleeper(until: deadline)
        await machine.send(.move)
        #expect(clock.sleeperCount == 0)
        #expect(await machine.pendingTimers.isEmpty)
    }

    @Test("an internal transition keeps the state timeout")
    func stayKeepsStateTimeout() async {
        await machine.send(.armStateTimeout)
        await clock.waitForSleeper(until: deadline)
        await machine.send(.stay)
        await machine.send(.reenterKeep)
        #expect(clock.sleeperDeadlines == [deadline])
        #expect(await machine.pendingTimers.map(\.kind) == [.stateTimeout])
        #expect(await machine.generation == 0)
    }

    @Test("re-entering with reset cancels the state timeout and starts a new visit")
    func reenterResetCancels() async {
        await machine.send(.armStateTimeout)
        await clock.waitForSleeper(until: deadline)
        await machine.send(.reenterReset)
        #expect(clock.sleeperCount == 0)
        #expect(await machine.pendingTimers.isEmpty)
        #expect(await machine.generation == 1)
    }

    @Test("setting the state timeout again replaces it")
    func stateTimeoutReplaced() async {
        await machine.send(.armStateTimeout)
        await clock.waitForSleeper(until: deadline)
        clock.advance(by: .seconds(2))
        await machine.send(.armStateTimeout)
        let later = ManualClock.Instant(offset: .seconds(7))
        await clock.waitForSleepers { $0 == [later] }
        #expect(await machine.pendingTimers.map(\.deadline) == [later])
    }

    @Test("cancelStateTimeout cancels it without a state change")
    func explicitStateTimeoutCancel() async {
        await machine.send(.armStateTimeout)
        await clock.waitForSleeper(until: deadline)
        await machine.send(.cancelStateTimeout)
        #expect(clock.sleeperCount == 0)
    }

    @Test("an event timeout fires when no event arrives")
    func eventTimeoutFires() async throws {
        var transitions = await machine.transitions().makeAsyncIterator()
        await machine.send(.armEventTimeout)
        await clock.waitForSleeper(until: deadline)
        clock.advance(to: deadline)
        _ = try await nextTransition(&transitions)
        #expect(try await nextTransition(&transitions).event == .eventTimedOut)
    }

    @Test("any event cancels the event timeout, even one that is accepted without effect")
    func acceptedEventCancelsEventTimeout() async {
        await machine.send(.armEventTimeout)
        await clock.waitForSleeper(until: deadline)
        await machine.send(.stay)
        #expect(clock.sleeperCount == 0)
        #expect(await machine.pendingTimers.isEmpty)
    }

    @Test("a rejected event cancels the event timeout too")
    func rejectedEventCancelsEventTimeout() async {
        await machine.send(.armEventTimeout)
        await clock.waitForSleeper(until: deadline)
        let transition = await machine.send(.poke)
        #expect(transition.rejection?.reason == .notAccepted)
        #expect(clock.sleeperCount == 0)
    }

    @Test("a named timer survives state changes and re-entries and fires in the new state")
    func namedTimerSurvives() async throws {
        var transitions = await machine.transitions().makeAsyncIterator()
        await machine.send(.startNamed)
        await clock.waitForSleeper(until: deadline)
        await machine.send(.move)
        await machine.send(.reenterReset)
        await machine.send(.poke)
        #expect(clock.sleeperDeadlines == [deadline])
        clock.advance(to: deadline)
        for expected in [TimerLab.Event.startNamed, .move, .reenterReset] {
            #expect(try await nextTransition(&transitions).event == expected)
        }
        let fired = try await nextTransition(&transitions)
        #expect(fired.event == .namedFired)
        #expect(fired.from == .b)
    }

    @Test("a named timer is cancelled only explicitly")
    func namedTimerCancelledExplicitly() async {
        await machine.send(.startNamed)
        await clock.waitForSleeper(until: deadline)
        await machine.send(.cancelNamed)
        #expect(clock.sleeperCount == 0)
        #expect(await machine.pendingTimers.isEmpty)
    }

    @Test("the three kinds are independent: a state change cancels only the state timeout")
    func kindsAreIndependent() async {
        await machine.send(.startNamed)
        await machine.send(.armStateTimeout)
        await clock.waitForSleepers(count: 2)
        await machine.send(.armEventTimeout)   // cancels nothing pending of its own kind yet
        await clock.waitForSleepers(count: 3)
        await machine.send(.move)              // an event (cancels the event timeout) and a state change
        #expect(await machine.pendingTimers.map(\.kind) == [.named("lab")])
        #expect(clock.sleeperDeadlines == [deadline])
    }

    @Test("timers due at the same instant fire in the order they were set", arguments: [
        [TimerLab.Event.startNamed, .armStateTimeout],
        [TimerLab.Event.armStateTimeout, .startNamed],
    ])
    func simultaneousTimersInSetOrder(order: [TimerLab.Event]) async throws {
        var transitions = await machine.transitions().makeAsyncIterator()
        for event in order { await machine.send(event) }
        await clock.waitForSleepers(count: 2)
        clock.advance(to: deadline)
        var fired: [TimerLab.Event] = []
        for _ in 0..<4 { fired.append(try await nextTransition(&transitions).event) }
        let expected: [TimerLab.Event] = order.map { $0 == .startNamed ? .namedFired : .stateTimedOut }
        #expect(fired == order + expected)
    }

    @Test("a zero-duration timer fires inside the send that set it")
    func zeroDurationFiresAtOnce() async throws {
        var transitions = await machine.transitions().makeAsyncIterator()
        await machine.send(.armImmediateStateTimeout)
        #expect(await machine.pendingTimers.isEmpty)
        #expect(try await nextTransition(&transitions).event == .armImmediateStateTimeout)
        #expect(try await nextTransition(&transitions).event == .stateTimedOut)
    }

    @Test("the pure model fires timers at their deadlines exactly as the runtime does")
    func modelAgrees() {
        var model = MachineModel(TimerLab(), initialState: .a, now: ManualClock.Instant(offset: .zero))
        _ = model.send(.startNamed)
        _ = model.send(.armStateTimeout)
        _ = model.send(.move)
        #expect(model.pendingTimers.map(\.kind) == [.named("lab")])
        let fired = model.advance(to: ManualClock.Instant(offset: .seconds(60)))
        #expect(fired.map { $0.step?.event } == [.namedFired])
        #expect(model.now == ManualClock.Instant(offset: .seconds(60)))
    }
}
