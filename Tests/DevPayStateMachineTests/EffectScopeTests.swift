import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Testing

@Suite("effects scoped to the state that started them", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct EffectScopeTests {
    @Test("leaving the state cancels a state-scoped effect and its late result is dropped and published")
    func staleResultDropped() async throws {
        let started = Latch()
        let release = Latch()
        let sawCancellation = Recorder<Bool>()
        let machine = StateMachine(Connection(), initialState: .idle, clock: ManualClock()) { effect, context in
            guard case .dial = effect else { return nil }
            #expect(context.generation == 1)
            started.open()
            await release.wait()
            sawCancellation.record(Task.isCancelled)
            return .connected(id: "late")
        }
        var rejections = await machine.rejections().makeAsyncIterator()
        await machine.send(.connect)
        await started.wait()
        await machine.send(.disconnect)
        release.open()

        let rejection = try #require(await rejections.next()?.value)
        #expect(rejection.event == .connected(id: "late"))
        #expect(rejection.reason == .staleResult(startedIn: 1, current: 2))
        #expect(rejection.state == .idle)
        #expect(await machine.state == .idle)
        #expect(sawCancellation.values == [true])
    }

    @Test("a result from the current visit is applied")
    func currentResultApplied() async throws {
        let machine = StateMachine(Connection(), initialState: .idle, clock: ManualClock()) { effect, _ in
            if case .dial(let attempt) = effect { .connected(id: "c\(attempt)") } else { nil }
        }
        await machine.send(.connect)
        #expect(try await machine.wait(until: { $0.name == .online }) == .online(id: "c1"))
    }

    @Test("a machine-scoped effect keeps running after the state is left")
    func machineScopeSurvives() async throws {
        let started = Latch()
        let release = Latch()
        let finished = Latch()
        let sawCancellation = Recorder<Bool>()
        let machine = StateMachine(Connection(), initialState: .connecting(attempt: 1), clock: ManualClock()) {
            effect, context in
            guard case .log = effect else { return nil }
            #expect(context.scope == .machine)
            started.open()
            await release.wait()
            sawCancellation.record(Task.isCancelled)
            finished.open()
            return nil
        }
        await machine.send(.connected(id: "c1"))
        await started.wait()
        await machine.send(.disconnect)
        release.open()
        await finished.wait()
        #expect(sawCancellation.values == [false])
    }

    @Test("stopping cancels every effect and timer, finishes streams and rejects later events")
    func stopEndsEverything() async throws {
        let clock = ManualClock()
        let started = Latch()
        let sawCancellation = Recorder<Bool>()
        let machine = StateMachine(Connection(), initialState: .idle, clock: clock) { _, _ in
            started.open()
            // Waits for cancellation without polling: a sleep on the manual clock that nobody advances.
            try? await clock.sleep(until: clock.now.advanced(by: .seconds(3600)))
            sawCancellation.record(Task.isCancelled)
            return nil
        }
        let states = await machine.states()
        await machine.send(.connect)
        await started.wait()
        await clock.waitForSleepers(count: 2)  // the state timeout and the effect
        await machine.stop()
        #expect(clock.sleeperCount == 0)
        var seen: [Connection.State] = []
        for await state in states { seen.append(state) }
        #expect(seen == [.idle, .connecting(attempt: 1)])
        #expect(await machine.send(.disconnect).rejection?.reason == .stopped)
        #expect(await machine.isStopped)
    }

    @Test("the effects of one transition are performed in order, each scope in its own task")
    func effectsInOrder() async {
        struct Sequencer: StateMachineDefinition {
            enum State: MachineState, CaseIterable { case idle, busy }
            enum Event: MachineEvent, CaseIterable { case go }
            enum Effect: Sendable, Hashable { case step(Int), audit(Int) }
            func scope(of effect: Effect) -> EffectScope {
                if case .audit = effect { .machine } else { .state }
            }
            var table: TransitionTable<Sequencer> {
                TransitionTable {
                    Rule(
                        from: .idle, on: .go, to: State.busy,
                        effects: [.step(1), .audit(1), .step(2), .audit(2), .step(3), .audit(3)])
                }
            }
        }
        let performed = Recorder<Sequencer.Effect>()
        let finished = Latch()
        let machine = StateMachine(Sequencer(), initialState: .idle, clock: ManualClock()) { effect, _ in
            performed.record(effect)
            if performed.values.count == 6 { finished.open() }
            return nil
        }
        await machine.send(.go)
        await finished.wait()
        let steps = performed.values.filter { if case .step = $0 { true } else { false } }
        let audits = performed.values.filter { if case .audit = $0 { true } else { false } }
        #expect(steps == [.step(1), .step(2), .step(3)])
        #expect(audits == [.audit(1), .audit(2), .audit(3)])
    }
}
