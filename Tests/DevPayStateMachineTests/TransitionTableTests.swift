import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Testing

@Suite("pure transition table", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct TransitionTableTests {
    let table = Connection().table

    @Test("an accepted event yields the target, the effects and the timers")
    func acceptedEvent() throws {
        let step = try #require(table.next(.idle, .connect).step)
        #expect(step.to == .connecting(attempt: 1))
        #expect(step.effects == [.dial(attempt: 1)])
        #expect(step.timers == [.stateTimeout(after: .seconds(5), sending: .timeout)])
        #expect(step.leavesState)
    }

    @Test("payloads flow from the event into the target state")
    func payloadFlows() {
        #expect(table.next(.connecting(attempt: 2), .connected(id: "c-7")).state == .online(id: "c-7"))
    }

    @Test("an event the state does not accept is rejected with the state, the event and the reason")
    func notAccepted() throws {
        let rejection = try #require(table.next(.idle, .heartbeat).rejection)
        #expect(rejection.state == .idle)
        #expect(rejection.event == .heartbeat)
        #expect(rejection.reason == .notAccepted)
    }

    @Test("guards choose between rules in declaration order")
    func guardsChoose() {
        #expect(table.next(.connecting(attempt: 1), .failed).state == .connecting(attempt: 2))
        #expect(table.next(.connecting(attempt: 3), .failed).state == .offline)
    }

    @Test("when every guard fails the rejection names them")
    func everyGuardFails() throws {
        struct Gate: StateMachineDefinition {
            enum State: MachineState, CaseIterable { case shut, open }
            enum Event: MachineEvent, CaseIterable { case push }
            typealias Effect = Never
            var table: TransitionTable<Gate> {
                TransitionTable {
                    Rule(from: .shut, on: .push, to: State.open, when: Guard("never") { _, _ in false })
                    Rule(from: .shut, on: .push, to: State.open, when: Guard("also never") { _, _ in false })
                }
            }
        }
        let rejection = try #require(Gate().table.next(.shut, .push).rejection)
        #expect(rejection.reason == .guardFailed(["never", "also never"]))
    }

    @Test("a rule that computes an undeclared target is rejected, not applied")
    func undeclaredTarget() throws {
        struct Liar: StateMachineDefinition {
            enum State: MachineState, CaseIterable { case a, b, c }
            enum Event: MachineEvent, CaseIterable { case go }
            typealias Effect = Never
            var table: TransitionTable<Liar> {
                TransitionTable { Rule(from: .a, on: .go, to: [.b]) { _, _ in .to(.c) } }
            }
        }
        let rejection = try #require(Liar().table.next(.a, .go).rejection)
        #expect(rejection.reason == .undeclaredTarget("c"))
    }

    @Test("staying keeps the visit, re-entering ends it")
    func stayAndReenter() throws {
        let stay = try #require(table.next(.online(id: "x"), .heartbeat).step)
        #expect(stay.to == .online(id: "x"))
        #expect(!stay.leavesState)
        // A retry moves to a different payload of the same state name: a new visit.
        let retry = try #require(table.next(.connecting(attempt: 1), .timeout).step)
        #expect(retry.leavesState)
    }
}
