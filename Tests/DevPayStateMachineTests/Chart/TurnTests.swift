import DevPayStateMachine
import DevPayStateMachineTesting
import Testing

/// A chart exercising what an action can ask for: raised events, re-entry, scoped work and zero timers.
struct Worker: Statechart {
    enum State: ChartState { case idle, busy }
    struct Context: Sendable, Equatable { var log: [String] = [] }
    enum Effect: Sendable, Equatable { case job(String) }

    struct Go: ChartEvent {}
    struct Done: ChartEvent {}
    struct Again: ChartEvent {}
    struct Stray: ChartEvent {}
    struct Soon: ChartEvent {}

    var chart: Chart<Worker> {
        Chart(initial: .idle) {
            Node(.idle) {
                On(Go.self, to: .busy) { $0.raise(Done()) }
                // Asks for work in a region it is leaving: the work is cancelled at once, visibly.
                On(Stray.self, to: .busy) { $0.perform(.job("stray"), in: .idle) }
                On(Soon.self) { $0.setTimer("soon", after: .zero, sending: Go()) }
            }
            Node(.busy) {
                After(.seconds(10), "limit", send: Done())
                On(Done.self) { $0.context.log.append("done in busy") }
                On(Again.self, to: .busy, reenter: true)
            }
        }
    }
}

@Suite("what actions ask for", .timeLimit(.minutes(1)))
struct TurnTests {
    @Test("a raised event is handled in the same step, after the transition that raised it")
    func raise() {
        var core = ChartCore(Worker(), context: .init())
        core.send(Worker.Go())
        #expect(core.state == .busy)
        #expect(core.context.log == ["done in busy"])
    }

    @Test("re-entering a state restarts its timers; a plain self-target would keep them")
    func reenter() {
        var core = ChartCore(Worker(), context: .init())
        core.send(Worker.Go())
        core.send(Worker.Again())
        let timers = core.commands.compactMap { command -> String? in
            switch command {
            case .cancelTimer(let id): "unset \(id.name)"
            case .setTimer(let id, _, _, _): "set \(id.name)"
            default: nil
            }
        }
        #expect(timers == ["unset limit", "set limit"])
    }

    @Test("work asked for in a region that is not active after the step is cancelled at once")
    func scopedWorkOutsideItsRegion() {
        var core = ChartCore(Worker(), context: .init())
        core.send(Worker.Stray())
        guard case .startEffect(let id, .job("stray"), .idle) = core.commands.first,
            case .cancelEffect(id) = core.commands.dropFirst().first(where: { if case .cancelEffect = $0 { true } else { false } })
        else {
            Issue.record("expected start then cancel: \(core.commands)")
            return
        }
        #expect(core.runningEffects.isEmpty)
    }

    @Test("a zero-duration timer fires within the input that set it")
    func zeroTimer() async {
        let machine = await ChartMachine(Worker(), context: .init(), clock: ManualClock()) { _, _ in }
        await machine.send(Worker.Soon())
        #expect(await machine.state == .busy)
        #expect(await machine.context.log == ["done in busy"])
    }
}
