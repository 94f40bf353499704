import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import PropertyBased
import Testing

@Suite("stateful property harness", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct StatefulHarnessTests {
    static let connectionEventChoices: [Connection.Event] = [
        .connect, .connected(id: "a"), .connected(id: "b"), .failed, .timeout, .heartbeat, .idleTimeout, .disconnect,
    ]
    static let connectionEvents = Gen.int(in: 0...(connectionEventChoices.count - 1)).map { connectionEventChoices[$0] }

    @Test("the connection machine runs in lockstep with its model, timers included, and covers every arrow")
    func connectionInLockstep() async {
        let maximumAttempts = Connection().maximumAttempts
        let check = StatefulMachineCheck(
            Connection(), initialState: .idle,
            invariants: [
                Invariant("attempts stay within the limit") { state in
                    if case .connecting(let attempt) = state { (1...maximumAttempts).contains(attempt) } else { true }
                }
            ])
        // Seeded, so the coverage verdict is the same on every run.
        await check.run(
            count: 150, seed: 2026,
            commands: MachineCommand.sequences(
                events: Self.connectionEvents, delays: Duration.seconds(1)...Duration.seconds(40), length: 0...30))
        check.coverage.expectComplete()
    }

    @Test("timer rules hold in lockstep for random sequences of sets, cancels, moves and waits")
    func timerLabInLockstep() async {
        let check = StatefulMachineCheck(TimerLab(), initialState: .a)
        await check.run(
            count: 150,
            commands: MachineCommand.sequences(
                events: Gen<TimerLab.Event>.case, delays: Duration.seconds(1)...Duration.seconds(6), delayWeight: 0.3))
    }

    static let ladderBelowThree = Invariant<Ladder>("level below 3") { $0.value < 3 }

    @Test("a broken invariant is reported with the minimal sequence that breaks it")
    func minimalSequence() async throws {
        let check = StatefulMachineCheck(Ladder(), initialState: .level(0), invariants: [Self.ladderBelowThree])
        let long: [MachineCommand<Ladder>] = [
            .send(.up), .send(.down), .advance(.seconds(3)), .send(.up), .send(.reset), .send(.up), .send(.up),
            .send(.down), .send(.up), .send(.up),
        ]
        let failure = try #require(await check.execute(long))
        #expect(failure.message.contains("level below 3"))
        let minimal = await check.minimize(failure)
        #expect(minimal.executed == [.send(.up), .send(.up), .send(.up)])
    }

    @Test("run records one issue naming the minimal sequence, and swift-property-based adds the seed")
    func runReportsSeedAndSequence() async {
        let check = StatefulMachineCheck(Ladder(), initialState: .level(0), invariants: [Self.ladderBelowThree])
        let comments = Recorder<String>()
        await withKnownIssue {
            await check.run(count: 50, commands: MachineCommand.sequences(events: Gen<Ladder.Event>.case, length: 10...30))
        } matching: { issue in
            comments.record(issue.comments.map(\.rawValue).joined(separator: "\n"))
            return true
        }
        let all = comments.values.joined(separator: "\n")
        #expect(all.contains("Minimal sequence:\n  1. send(up)\n  2. send(up)\n  3. send(up)"))
        #expect(all.contains("fixedSeed"))
    }

    @Test("preconditions are checked as the sequence runs, so a command that no longer fits is skipped")
    func preconditionsAtRunTime() async throws {
        let check = StatefulMachineCheck(
            Ladder(), initialState: .level(0),
            precondition: { state, command in
                // Never step down from the bottom (it would be rejected; this test wants only accepted steps).
                if case .send(.down) = command { state.value > 0 } else { true }
            },
            invariants: [Self.ladderBelowThree])
        // Shrinking dropped the first `up`: the `down` that followed it must now be skipped, not sent.
        let failure = try #require(await check.execute([.send(.down), .send(.up), .send(.up), .send(.up)]))
        #expect(failure.executed == [.send(.up), .send(.up), .send(.up)])
    }

    @Test("coverage fails the test when a declared transition was never exercised")
    func coverageFailsWhenIncomplete() async {
        let check = StatefulMachineCheck(Turnstile(), initialState: .locked)
        _ = await check.execute([.send(.coin), .send(.push)])
        #expect(check.coverage.missing.map(\.label) == ["coin", "kick [hard]", "kick"])
        withKnownIssue {
            check.coverage.expectComplete()
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("3 declared transition(s) never exercised") }
        }
    }

    @Test("a seeded run reports the seed and the minimal sequence, and replays identically")
    func seededRunReplays() async {
        let commands = MachineCommand<Ladder>.sequences(events: Gen<Ladder.Event>.case, length: 10...30)
        var reports: [String] = []
        for _ in 0..<2 {
            let check = StatefulMachineCheck(Ladder(), initialState: .level(0), invariants: [Self.ladderBelowThree])
            let comments = Recorder<String>()
            await withKnownIssue {
                await check.run(count: 50, seed: 7, commands: commands)
            } matching: { issue in
                comments.record(issue.comments.map(\.rawValue).joined(separator: "\n"))
                return true
            }
            reports.append(comments.values.joined(separator: "\n"))
        }
        #expect(reports[0].contains("Minimal sequence:\n  1. send(up)\n  2. send(up)\n  3. send(up)"))
        #expect(reports[0].contains("seed: 7"))
        #expect(reports[0] == reports[1])
    }
}
