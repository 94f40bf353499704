import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Foundation
import Testing

@Suite("UTC clock", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct UTCClockTests {
    @Test("now is the UTC time Foundation reports")
    func nowIsUTC() {
        let ours = UTCClock().now.sinceUnixEpoch
        let foundation = Duration.seconds(Date().timeIntervalSince1970)
        #expect(abs((ours - foundation) / .milliseconds(1)) < 2_000)
    }

    @Test("a sleep never ends before its deadline, and one whose deadline passed returns at once")
    func sleepHonoursDeadline() async throws {
        let clock = UTCClock()
        let deadline = clock.now.advanced(by: .milliseconds(20))
        try await clock.sleep(until: deadline)
        #expect(clock.now >= deadline)
        try await clock.sleep(until: clock.now.advanced(by: .seconds(-60)))
    }

    @Test("a snapshot taken on the UTC clock is Codable and keeps absolute deadlines")
    func snapshotIsCodable() async throws {
        let machine = StateMachine(TimerLab(), initialState: .a, clock: UTCClock())
        await machine.send(.startNamed)
        let snapshot = await machine.snapshot()
        await machine.stop()
        let decoded = try JSONDecoder().decode(
            Snapshot<TimerLab, UTCClock.Instant>.self, from: JSONEncoder().encode(snapshot))
        #expect(decoded == snapshot)
        #expect(decoded.timers.first?.kind == .named("lab"))
    }
}
