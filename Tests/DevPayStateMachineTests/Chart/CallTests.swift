import DevPayStateMachine
import DevPayStateMachineTesting
import Testing

@Suite("calls that answer", .timeLimit(.minutes(1)))
struct CallTests {
    /// A dialer whose dial effect reports `Established` when `dials` says so, and otherwise waits.
    private func machine(
        autoConnect: Bool
    ) async -> ChartMachine<Dialer, ManualClock> {
        await ChartMachine(Dialer(), context: .init(), clock: ManualClock()) { _, io in
            if autoConnect { await io.send(Dialer.Established()) }
        }
    }

    @Test("a call answered later, after an effect reported back, returns the chart's reply")
    func answeredLater() async throws {
        let machine = await machine(autoConnect: true)
        let connected = try await machine.call(Dialer.Connect())
        #expect(connected)
        #expect(await machine.state == .connected)
    }

    @Test("a call answered in its own step returns at once, typed by its event")
    func answeredNow() async throws {
        let machine = await machine(autoConnect: true)
        try await machine.call(Dialer.Connect())
        let first: Int = try await machine.call(Dialer.Query())
        let second = try await machine.call(Dialer.Query())
        #expect((first, second) == (1, 2))
    }

    @Test("a call no rule takes is rejected with the state and the event")
    func rejected() async {
        let machine = await machine(autoConnect: true)
        await #expect(throws: CallError.rejected(state: "disconnected", event: "Hangup")) {
            try await machine.call(Dialer.Hangup())
        }
        #expect(await machine.state == .disconnected)
    }

    @Test("a call the chart takes but never answers fails as unanswered instead of hanging")
    func unanswered() async throws {
        let machine = await machine(autoConnect: true)
        try await machine.call(Dialer.Connect())
        await #expect(throws: CallError.unanswered(event: "Forget")) {
            try await machine.call(Dialer.Forget())
        }
    }

    @Test("a pending call fails with stopped when the machine stops")
    func stopped() async {
        let machine = await machine(autoConnect: false)
        let call = Task { try await machine.call(Dialer.Connect()) }
        while await machine.state != .connecting { await Task.yield() }
        await machine.stop()
        await #expect(throws: CallError.stopped) { try await call.value }
        await #expect(throws: CallError.stopped) { try await machine.call(Dialer.Connect()) }
    }

    @Test("a caller's cancellation fails its call and reaches the chart as an input")
    func callerCancelled() async throws {
        let machine = await machine(autoConnect: false)
        let call = Task { try await machine.call(Dialer.Connect()) }
        while await machine.state != .connecting { await Task.yield() }
        call.cancel()
        await #expect(throws: CallError.cancelled) { try await call.value }
        #expect(await machine.state == .disconnected, "the chart hung up for the caller who left")
        #expect(await machine.context.cancelledCalls.count == 1)
        #expect(await machine.runningEffectCount == 0, "leaving connecting cancelled the dial")
    }

    @Test("an answer for a caller who left is dropped visibly")
    func lateAnswerDropped() throws {
        var core = ChartCore(Dialer(), context: .init(), tracing: true)
        core.send(Dialer.Connect(), call: CallID(7))
        #expect(core.commands.contains { if case .startEffect = $0 { true } else { false } })
        // The caller leaves; a later rule then answers the token it kept for that caller.
        let token = try #require(core.context.waiting)
        core.cancelCall(CallID(7), eventName: "Connect")
        #expect(core.state == .disconnected)
        core.context.waiting = token
        core.send(Dialer.Connect(), call: CallID(8))
        core.context.waiting = token
        core.send(Dialer.Established())
        #expect(core.trace.contains { if case .replyDropped(CallID(7)) = $0 { true } else { false } })
    }
}

@Suite("postponed events")
struct PostponeTests {
    @Test("an event the state cannot take yet is kept and taken after the next change of state")
    func postponedThenTaken() {
        var core = ChartCore(Dialer(), context: .init())
        core.send(Dialer.Connect(), call: CallID(1))
        #expect(core.send(Dialer.Query(), call: CallID(2)) == .postponed)
        #expect(core.send(Dialer.Query(), call: CallID(3)) == .postponed)
        #expect(core.postponedEvents.count == 2)
        #expect(core.commands.isEmpty, "a postponed call waits")
        core.send(Dialer.Established())
        #expect(core.postponedEvents.isEmpty)
        #expect(core.context.queries == 2)
        let replies = core.commands.compactMap { command -> String? in
            guard case .reply(let call, let reply) = command else { return nil }
            return "\(call.rawValue)=\(reply)"
        }
        #expect(replies == ["1=true", "2=1", "3=2"], "the connect answer first, then queries in arrival order")
    }

    @Test("a postponed call is answered through the actor once the state changes")
    func postponedCall() async throws {
        let latch = Latch()
        let machine = await ChartMachine(Dialer(), context: .init(), clock: ManualClock()) { _, io in
            await latch.wait()
            await io.send(Dialer.Established())
        }
        async let connected = machine.call(Dialer.Connect())
        while await machine.state != .connecting { await Task.yield() }
        async let query = machine.call(Dialer.Query())
        while await machine.postponedEventCount == 0 { await Task.yield() }
        latch.open()
        let (isConnected, count) = try await (connected, query)
        #expect(isConnected)
        #expect(count == 1)
    }
}
