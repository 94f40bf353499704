import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Testing

@Suite("manual clock and seeded generator", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct ManualClockTests {
    @Test("a sleeper wakes only when the manual clock reaches its deadline")
    func manualClockWakesAtDeadline() async throws {
        let clock = ManualClock()
        let woke = Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(5))) }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(4))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await woke.value
        #expect(clock.sleeperCount == 0)
    }

    @Test("cancelling a sleeper throws CancellationError")
    func manualClockCancellation() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(5))) }
        await clock.waitForSleepers(count: 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }

    @Test("a seeded generator replays the same sequence")
    func seededGeneratorReplays() {
        var first = SeededRandomNumberGenerator(seed: 42)
        var second = SeededRandomNumberGenerator(seed: 42)
        let a = (0..<8).map { _ in first.next() }
        let b = (0..<8).map { _ in second.next() }
        #expect(a == b)
        #expect(Set(a).count == 8)
    }

    @Test("a test can wait for a sleeper at one deadline, and for sleepers to go away")
    func waitForDeadlineAndDeparture() async throws {
        let clock = ManualClock()
        let early = Task { try await clock.sleep(until: .init(offset: .seconds(1))) }
        let late = Task { try await clock.sleep(until: .init(offset: .seconds(9))) }
        await clock.waitForSleeper(until: .init(offset: .seconds(9)))
        await clock.waitForSleeper(until: .init(offset: .seconds(1)))
        #expect(clock.sleeperDeadlines == [.init(offset: .seconds(1)), .init(offset: .seconds(9))])
        late.cancel()
        await clock.waitForSleepers { $0 == [.init(offset: .seconds(1))] }
        clock.advance(by: .seconds(1))
        try await early.value
        await clock.waitForSleepers { $0.isEmpty }
        await #expect(throws: CancellationError.self) { try await late.value }
    }

    @Test("a sleep already cancelled when it starts throws at once instead of waiting forever")
    func cancelledBeforeSleeping() async {
        let clock = ManualClock()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: .init(offset: .seconds(5)))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("a sleep whose deadline has passed returns at once")
    func pastDeadline() async throws {
        let clock = ManualClock()
        clock.advance(by: .seconds(10))
        try await clock.sleep(until: .init(offset: .seconds(3)))
        #expect(clock.now == .init(offset: .seconds(10)))
    }
}
