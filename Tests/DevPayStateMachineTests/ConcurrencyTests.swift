import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Testing

@Suite("concurrent senders", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct ConcurrencyTests {
    @Test("many tasks sending at once produce a history that some sequential order explains")
    func linearizable() async throws {
        let machine = StateMachine(Ladder(), initialState: .level(0), clock: ManualClock()) { _, _ in nil }
        let table = Ladder().table
        let senders = 16
        let perSender = 250
        let transitions = await machine.transitions(bufferLimit: senders * perSender + 1)
        let results = await withTaskGroup(of: [Transition<Ladder>].self) { group in
            for sender in 0..<senders {
                group.addTask {
                    var random = SeededRandomNumberGenerator(seed: UInt64(sender))
                    var results: [Transition<Ladder>] = []
                    for _ in 0..<perSender {
                        let event = Ladder.Event.allCases.randomElement(using: &random)!
                        results.append(await machine.send(event))
                    }
                    return results
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let finalState = await machine.state
        await machine.stop()
        var records: [TransitionRecord<Ladder, ManualClock.Instant>] = []
        for await notice in transitions {
            records.append(try #require(notice.value, "no transition may be missed"))
        }

        // Every accepted send appears exactly once in the published history.
        #expect(results.count == senders * perSender)
        #expect(records.count == results.filter { $0.step != nil }.count)
        // The history is one sequential run of the pure model from the initial state to the final state.
        var state = Ladder.State.level(0)
        for record in records {
            #expect(record.from == state)
            #expect(table.next(state, record.event).state == record.to)
            state = record.to
        }
        #expect(state == finalState)
        // Each rejection is what the model says for the state the event met.
        for case .rejected(let rejection) in results {
            #expect(table.next(rejection.state, rejection.event).rejection != nil)
        }
    }
}
