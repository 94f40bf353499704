import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import PropertyBased
import Testing

// The example of docs/state-machines-flat.md, verbatim: the guide's claims are checked below.
struct Door: StateMachineDefinition {
    // States: an enum. Rules match states by a payload-free `Name`.
    enum State: MachineState, Codable {
        case open
        case closed
        case locked(code: String)
        case alarm(attempts: Int)

        enum Name: CaseIterable { case open, closed, locked, alarm }
        var name: Name {
            switch self {
            case .open: .open
            case .closed: .closed
            case .locked: .locked
            case .alarm: .alarm
            }
        }
    }

    // Events: the same pattern. (A payload-free enum that is CaseIterable is its own Name.)
    enum Event: MachineEvent, Codable, Equatable {
        case push, pull, lock(code: String), unlock(code: String), autoClose, silence
        enum Name: Hashable { case push, pull, lock, unlock, autoClose, silence }
        var name: Name {
            switch self {
            case .push: .push
            case .pull: .pull
            case .lock: .lock
            case .unlock: .unlock
            case .autoClose: .autoClose
            case .silence: .silence
            }
        }
    }

    // Effects: data that the owner performs.
    enum Effect: Sendable, Equatable { case beep, soundAlarm, notify(String) }

    var table: TransitionTable<Door> {
        let codeMatches = Guard<Door>("code matches") { state, event in
            if case .locked(let code) = state, case .unlock(let tried) = event { code == tried } else { false }
        }
        return TransitionTable {
            // Static rules: a fixed target state, fixed effects and timers.
            Rule(from: .closed, on: .pull, to: State.open,
                 timers: [.stateTimeout(after: .seconds(30), sending: .autoClose)])
            Rule(from: .open, on: .push, to: State.closed)
            Rule(from: .open, on: .autoClose, to: State.closed, effects: [.beep])
            // Dynamic rules: declare the possible targets, compute the outcome from the payloads.
            Rule(from: .closed, on: .lock, to: [.locked]) { _, event in
                guard case .lock(let code) = event else { return .stay() }
                return .to(.locked(code: code), effects: [.beep])
            }
            // Guards: the first rule whose guard holds decides.
            Rule(from: .locked, on: .unlock, to: State.closed, when: codeMatches, effects: [.beep])
            Rule(from: .locked, on: .unlock, to: [.alarm]) { _, _ in
                .to(.alarm(attempts: 1), effects: [.soundAlarm],
                    timers: [.start("escalate", after: .seconds(60), sending: .silence)])
            }
            Rule(from: .alarm, on: .unlock, to: [.alarm]) { state, _ in
                guard case .alarm(let attempts) = state else { return .stay() }
                return .to(.alarm(attempts: attempts + 1), effects: [.notify("attempt \(attempts + 1)")])
            }
            Rule(from: .alarm, on: .silence, to: State.closed, timers: [.cancel("escalate")])
        }
    }
}

@Suite("the guide's example", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct GuideExampleTests {
    let table = Door().table

    @Test("it steps purely as the guide says")
    func pureSteps() {
        let lock = table.next(.closed, .lock(code: "1234"))
        #expect(lock.state == .locked(code: "1234"))
        #expect(lock.step?.effects == [.beep])
        #expect(table.next(.open, .lock(code: "1234")).rejection?.reason == .notAccepted)
        #expect(table.next(.locked(code: "1"), .unlock(code: "2")).state == .alarm(attempts: 1))
    }

    @Test("an open door closes itself after 30 s on the manual clock")
    func autoClose() async throws {
        let clock = ManualClock()
        let machine = StateMachine(Door(), initialState: .closed, clock: clock) { _, _ in nil }
        await machine.send(.pull)
        await clock.waitForSleeper(until: .init(offset: .seconds(30)))
        clock.advance(by: .seconds(30))
        #expect(try await machine.wait(until: { $0 == .closed }) == .closed)
    }

    @Test("its graph queries answer as the guide says")
    func graphQueries() {
        #expect(table.unreachableStates(from: .closed).isEmpty)
        #expect(table.shortestPath(from: .open, to: .alarm)?.map(\.event) == [.push, .lock, .unlock])
        #expect(table.deadEnds().isEmpty)
        #expect(table.mermaid(initial: .closed).contains("s_locked --> s_closed : unlock [code matches]"))
    }

    static let doorEventChoices: [Door.Event] = [
        .push, .pull, .lock(code: "1234"), .unlock(code: "1234"), .unlock(code: "0000"), .autoClose, .silence,
    ]
    static let doorEvents = Gen.int(in: 0...(doorEventChoices.count - 1)).map { doorEventChoices[$0] }

    @Test("it passes the stateful check and exercises every declared arrow")
    func doorBehaves() async {
        let check = StatefulMachineCheck(
            Door(), initialState: .closed,
            invariants: [
                Invariant("attempts are positive") { state in
                    if case .alarm(let attempts) = state { attempts > 0 } else { true }
                }
            ])
        await check.run(count: 200, seed: 1, commands: MachineCommand.sequences(events: Self.doorEvents))
        check.coverage.expectComplete()
    }
}
