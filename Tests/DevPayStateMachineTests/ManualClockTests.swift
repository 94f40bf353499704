import DevPayTesting
import Testing

@Suite("manual clock and seeded generator")
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
}
