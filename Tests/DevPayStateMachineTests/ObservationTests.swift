import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Testing

@Suite("observation streams", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct ObservationTests {
    @Test("each states subscriber starts with the current state and sees every state entered")
    func statesStartWithCurrent() async {
        let machine = StateMachine(TimerLab(), initialState: .a, clock: ManualClock())
        await machine.send(.move)
        let late = await machine.states()
        await machine.send(.stay)          // no state change: not published
        await machine.send(.reenterReset)  // a new visit of the same state: published
        await machine.send(.move)
        await machine.stop()
        var seen: [TimerLab.State] = []
        for await state in late { seen.append(state) }
        #expect(seen == [.b, .b, .a])
    }

    @Test("a transition record carries from, event, to, time and generation")
    func transitionRecord() async throws {
        let clock = ManualClock()
        clock.advance(by: .seconds(42))
        let machine = StateMachine(TimerLab(), initialState: .a, clock: clock)
        var transitions = await machine.transitions().makeAsyncIterator()
        await machine.send(.move)
        let record = try #require(await transitions.next()?.value)
        #expect(record.from == .a)
        #expect(record.event == .move)
        #expect(record.to == .b)
        #expect(record.time == ManualClock.Instant(offset: .seconds(42)))
        #expect(record.generation == 1)
    }

    @Test("a slow subscriber gets every transition up to its bound, then learns exactly how many it missed")
    func overflowAccounting() async {
        let machine = StateMachine(TimerLab(), initialState: .a, clock: ManualClock())
        let slow = await machine.transitions(bufferLimit: 4)
        for _ in 0..<10 { await machine.send(.move) }
        var iterator = slow.makeAsyncIterator()
        var first: [Observed<TransitionRecord<TimerLab, ManualClock.Instant>>] = []
        for _ in 0..<4 { first.append(await iterator.next()!) }
        await machine.send(.stay)
        await machine.stop()
        var rest: [Observed<TransitionRecord<TimerLab, ManualClock.Instant>>] = []
        while let notice = await iterator.next() { rest.append(notice) }

        #expect(first.map { $0.value?.generation } == [1, 2, 3, 4])
        #expect(rest.count == 2)
        #expect(rest.first == .missed(6))
        #expect(rest.last?.value?.event == .stay)
        // Nothing is silently lost: received + missed = sent.
        let received = (first + rest).filter { $0.value != nil }.count
        let missed = (first + rest).reduce(0) { if case .missed(let n) = $1 { $0 + n } else { $0 } }
        #expect(received + missed == 11)
    }

    @Test("rejections are published with the same overflow accounting")
    func rejectionsOverflow() async {
        let machine = StateMachine(TimerLab(), initialState: .a, clock: ManualClock())
        let rejections = await machine.rejections(bufferLimit: 2)
        for _ in 0..<5 { await machine.send(.poke) }
        await machine.stop()
        var notices: [Observed<Rejection<TimerLab>>] = []
        for await notice in rejections { notices.append(notice) }
        #expect(notices.map { $0.value?.event } == [.poke, .poke])
    }

    @Test("10 000 subscribe and cancel cycles leave no subscriber behind")
    func subscribersCleanedUp() async {
        let machine = StateMachine(TimerLab(), initialState: .a, clock: ManualClock())
        for cycle in 0..<10_000 {
            switch cycle % 3 {
            case 0:
                // An iterating task that is cancelled.
                let stream = await machine.states()
                let task = Task { for await _ in stream {} }
                task.cancel()
                await task.value
            case 1:
                // A stream dropped without being iterated.
                _ = await machine.transitions()
            default:
                // An iterator that read one notice and was dropped.
                var iterator = await machine.rejections().makeAsyncIterator()
                await machine.send(.poke)
                _ = await iterator.next()
            }
        }
        #expect(await machine.subscriberCount == 0)
    }

    @Test("wait(until:) returns at once when the current state matches")
    func waitMatchesCurrent() async throws {
        let machine = StateMachine(TimerLab(), initialState: .b, clock: ManualClock())
        #expect(try await machine.wait(until: { $0 == .b }, timeout: .seconds(1)) == .b)
    }

    @Test("wait(until:) times out on the machine's clock")
    func waitTimesOut() async {
        let clock = ManualClock()
        let machine = StateMachine(TimerLab(), initialState: .a, clock: clock)
        let waiter = Task { try await machine.wait(until: { $0 == .b }, timeout: .seconds(3)) }
        await clock.waitForSleeper(until: .init(offset: .seconds(3)))
        clock.advance(by: .seconds(3))
        await #expect(throws: StateMachineError.timedOut(after: .seconds(3))) { try await waiter.value }
    }

    @Test("first(where:) returns the first matching transition")
    func firstWhere() async throws {
        let clock = ManualClock()
        let machine = StateMachine(TimerLab(), initialState: .a, clock: clock)
        let waiter = Task { try await machine.first(where: { $0.to == .a }, timeout: .seconds(10)) }
        await clock.waitForSleeper(until: .init(offset: .seconds(10)))  // subscribed: the timeout is armed
        await machine.send(.move)
        await machine.send(.move)
        let record = try await waiter.value
        #expect(record.from == .b)
        #expect(record.generation == 2)
    }

    @Test("a wait ends with stopped when the machine stops")
    func waitStopped() async {
        let clock = ManualClock()
        let machine = StateMachine(TimerLab(), initialState: .a, clock: clock)
        let waiter = Task { try await machine.wait(until: { $0 == .b }, timeout: .seconds(3600)) }
        await clock.waitForSleepers(count: 1)  // subscribed: the timeout is armed after the subscription
        await machine.stop()
        await #expect(throws: StateMachineError.stopped) { try await waiter.value }
    }
}
