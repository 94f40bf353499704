import DevPayStateMachine
import DevPayStateMachineTesting
import Testing

@Suite("concurrent senders on a statechart", .timeLimit(.minutes(1)))
struct ConcurrentSendersTests {
    @Test("many tasks sending at once produce outcomes that one sequential order explains")
    func linearizable() async throws {
        let machine = await ChartMachine(BoundedCounter(), context: .init(), clock: ManualClock()) { _, _ in }
        let senders = 8
        let perSender = 200
        let inspection = await machine.inspect(bufferLimit: senders * perSender + 1)
        let outcomes = await withTaskGroup(of: [String: Int].self) { group in
            for sender in 0..<senders {
                group.addTask {
                    var random = SeededRandomNumberGenerator(seed: UInt64(sender))
                    var tally: [String: Int] = [:]
                    for _ in 0..<perSender {
                        let event = BoundedCounter.events.randomElement(using: &random)!
                        let disposition = await machine.send(any: event)
                        tally["\(type(of: event).eventName) \(disposition)", default: 0] += 1
                    }
                    return tally
                }
            }
            return await group.reduce(into: [String: Int]()) { $0.merge($1, uniquingKeysWith: +) }
        }
        let finalContext = await machine.context
        await machine.stop()

        // Replay the order the machine applied, as inspected, through a fresh pure core.
        var replay = ChartCore(BoundedCounter(), context: .init())
        var replayed: [String: Int] = [:]
        for await notice in inspection {
            let record = try #require(notice.value, "nothing may be missed")
            let event: any ChartEvent
            switch record {
            case .transition(_, let taken, _): event = taken
            case .rejected(let rejected, _): event = rejected
            default: continue
            }
            let disposition = replay.send(any: event)
            replayed["\(type(of: event).eventName) \(disposition)", default: 0] += 1
        }
        #expect(outcomes.values.reduce(0, +) == senders * perSender)
        #expect(replayed == outcomes, "each sender's outcomes match the sequential replay")
        #expect(replay.context == finalContext)
    }
}
