import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Testing

@Suite("runtime actor basics", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct StateMachineBasicsTests {
    @Test("send applies the transition at once and returns it")
    func sendApplies() async throws {
        let machine = StateMachine(Connection(), initialState: .idle, clock: ManualClock()) { _, _ in nil }
        let transition = await machine.send(.connect)
        #expect(transition.state == .connecting(attempt: 1))
        #expect(await machine.state == .connecting(attempt: 1))
        #expect(await machine.generation == 1)
    }

    @Test("a rejected event changes nothing and is published")
    func rejectionPublished() async throws {
        let machine = StateMachine(Connection(), initialState: .idle, clock: ManualClock()) { _, _ in nil }
        let rejections = await machine.rejections()
        await machine.send(.heartbeat)
        var iterator = rejections.makeAsyncIterator()
        let rejection = try #require(await iterator.next()?.value)
        #expect(rejection.event == .heartbeat)
        #expect(rejection.reason == .notAccepted)
        #expect(await machine.state == .idle)
    }

    @Test("effects go to the owner's handler and their results come back as events")
    func effectResultsFeedBack() async throws {
        let machine = StateMachine(Connection(), initialState: .idle, clock: ManualClock()) { effect, _ in
            if case .dial = effect { .connected(id: "c-1") } else { nil }
        }
        await machine.send(.connect)
        let state = try await machine.wait(until: { $0.name == .online })
        #expect(state == .online(id: "c-1"))
    }

    @Test("a machine that is released cancels its timers and finishes its streams")
    func releaseCleansUp() async {
        let clock = ManualClock()
        var machine: StateMachine<TimerLab, ManualClock>? = StateMachine(TimerLab(), initialState: .a, clock: clock)
        let states = await machine!.states()
        await machine!.send(.startNamed)
        await clock.waitForSleepers(count: 1)
        machine = nil
        await clock.waitForSleepers { $0.isEmpty }
        var seen: [TimerLab.State] = []
        for await state in states { seen.append(state) }
        #expect(seen == [.a])
    }
}
