import DevPayStateMachine
import Testing

@Suite("region-scoped timers and effects")
struct RegionTests {
    typealias Timer = TimerID<Nested.State>

    /// The effects started and cancelled, and the timers set and cancelled, by the last step.
    private func summary(_ commands: [ChartCommand<Nested>]) -> [String] {
        commands.map { command in
            switch command {
            case .startEffect(let id, let effect, let scope): "start \(id.rawValue) \(effect) in \(scope.map { "\($0)" } ?? "machine")"
            case .cancelEffect(let id): "cancel \(id.rawValue)"
            case .setTimer(let id, let after, _, _): "set \(id) \(after)"
            case .cancelTimer(let id): "unset \(id)"
            case .reply(let call, _): "reply \(call)"
            case .fail(let call, let error): "fail \(call) \(error)"
            }
        }
    }

    @Test("entering starts a state's invoked effects and timers; leaving cancels them")
    func enterAndLeave() {
        var core = ChartCore(Nested(), context: .init())
        #expect(core.commands.isEmpty)
        core.send(Nested.Power())
        #expect(summary(core.commands) == ["set idle in on 60.0 seconds", "start 1 watch(\"a\") in a"])
        core.send(Nested.Next())
        #expect(summary(core.commands) == ["set tick in a2 5.0 seconds"])
        core.send(Nested.Power())
        #expect(summary(core.commands) == ["unset tick in a2", "cancel 1", "unset idle in on"])
        #expect(core.runningEffects.isEmpty)
        #expect(core.armedTimers.isEmpty)
    }

    @Test("moving between children keeps the parent's timers and effects running")
    func parentRegionSurvivesChildMoves() {
        var core = ChartCore(Nested(), context: .init())
        core.send(Nested.Power())
        core.send(Nested.Next())  // a1 → a2 inside a
        core.send(Nested.Flip())  // a2 → a1 inside a
        #expect(summary(core.commands) == ["unset tick in a2"])
        core.send(Nested.Flip())  // a1 → b: leaves a, stays in on
        #expect(summary(core.commands) == ["cancel 1"])
        #expect(core.armedTimers == [Timer(name: "idle", scope: .on)])
    }

    @Test("a timer fires its event; a stale generation does nothing")
    func firing() throws {
        var core = ChartCore(Nested(), context: .init())
        core.send(Nested.Power())
        core.send(Nested.Next())
        guard case .setTimer(let tick, _, _, let generation) = core.commands.first else {
            Issue.record("tick not set")
            return
        }
        #expect(core.fire(tick, generation: generation) == .handled)
        #expect(core.context.count == 100)
        #expect(core.fire(tick, generation: generation) == nil, "a timer fires once")
        #expect(core.state == .a2)
    }

    @Test("an effect's events are delivered while it runs and dropped, visibly, after its region was left")
    func staleResults() {
        var core = ChartCore(Nested(), context: .init(), tracing: true)
        core.send(Nested.Power())
        let watcher = EffectID(1)
        #expect(core.deliver(Nested.Bump(by: 2), from: watcher) == .handled)
        #expect(core.context.count == 2)
        core.send(Nested.Flip())  // a1 → b: cancels a's watcher
        #expect(core.deliver(Nested.Bump(by: 2), from: watcher) == nil)
        #expect(core.context.count == 2)
        guard case .effectResultDropped(let id, let event, let state) = core.trace.first else {
            Issue.record("no drop recorded: \(core.trace)")
            return
        }
        #expect(id == watcher)
        #expect((event as? Nested.Bump)?.by == 2)
        #expect(state == .b)
    }
}
