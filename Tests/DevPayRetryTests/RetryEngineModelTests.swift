import DevPayRetry
import DevPayLoggingTesting
import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Logging
import PropertyBased
import Testing

@Suite("the retry engine: model checks, actors and logs", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct RetryEngineModelTests {
    @Test("for any fault script the engine makes the attempts and spends the quota the rules say")
    func followsTheRules() async throws {
        let faults = Gen<ScriptedFaultKind>.case.array(of: 0...6)
        await propertyCheck(count: 60, input: faults) { kinds in
            let clock = ManualClock()
            let engine = RetryEngine(
                policy: StandardRetryPolicy(maxAttempts: 4), clock: clock,
                randomNumberGenerator: DevPayStateMachine.SeededRandomNumberGenerator(seed: 3))
            let operation = ScriptedOperation(failures: kinds.map(\.fault))

            // The model: attempts stop at the first permanent fault, after four attempts, or at success.
            var expectedAttempts = 0
            var expectedQuota = 500
            var lastCost: Int?
            var succeeded = true
            for attempt in 1...4 {
                expectedAttempts = attempt
                guard attempt <= kinds.count else { break }
                let kind = kinds[attempt - 1]
                if kind == .permanent || attempt == 4 { succeeded = false; break }
                lastCost = kind == .timedOut ? 10 : 5
                expectedQuota -= lastCost!
            }
            if succeeded { expectedQuota = min(500, expectedQuota + (lastCost ?? 1)) }

            let run = Task { try await engine.run("Model") { try operation($0) } }
            _ = await clock.completeSleeps(expectedAttempts - 1)
            let result = await run.result
            #expect(operation.attempts.count == expectedAttempts)
            #expect(engine.retryQuotaAvailable == expectedQuota)
            #expect(((try? result.get()) != nil) == succeeded)
        }
    }

    @Test("concurrent operations of one engine share the quota: 20 retries take 100 tokens, 20 successes refund them")
    func sharedQuota() async throws {
        let clock = ManualClock()
        let engine = RetryEngine(
            policy: .standard, clock: clock, randomNumberGenerator: DevPayStateMachine.SeededRandomNumberGenerator(seed: 5))
        let results = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    let operation = ScriptedOperation(failures: [.throttled])
                    group.addTask { try await engine.run("Get") { try operation($0) } }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        await clock.waitForSleepers(count: 20)
        #expect(engine.retryQuotaAvailable == 400)
        // Every first throttling backoff is below 1 s.
        clock.advance(by: .seconds(1))
        #expect(try await results.value == Array(repeating: 2, count: 20))
        #expect(engine.retryQuotaAvailable == 500)
    }

    @Test("an actor can wrap calls that touch its own state")
    func callableFromAnActor() async throws {
        actor Client {
            let engine = RetryEngine(policy: .none, clock: ManualClock())
            var calls = 0
            func call() async throws -> Int {
                try await engine.run("Call") { _ in
                    calls += 1
                    return calls
                }
            }
        }
        let client = Client()
        #expect(try await client.call() == 1)
        #expect(try await client.call() == 2)
    }

    @Test("attempts are logged with operation, attempt and error class, never the error's text")
    func logsWithoutSecrets() async throws {
        struct LeakyError: Error, RetryClassifiable, CustomStringConvertible {
            var retryClassification: RetryClassification { .permanent }
            var description: String { "secret-access-key=wJalrXUtnFEMI" }
        }
        let logs = CapturedLogs()
        let engine = RetryEngine(policy: .standard, clock: ManualClock(), logger: logs.logger(label: "test"))
        await #expect(throws: LeakyError.self) { try await engine.run("Get") { _ in throw LeakyError() } }
        let logged = logs.lines
        #expect(logged.count == 1)
        #expect(logged.allSatisfy { !$0.contains("wJalrXUtnFEMI") })
        #expect(logged.first?.contains("error.class=permanent") == true)
        #expect(logged.first?.contains("operation=Get") == true)
    }
}

enum ScriptedFaultKind: CaseIterable, Sendable {
    case throttled, transient, timedOut, permanent

    var fault: ScriptedFault {
        switch self {
        case .throttled: .throttled
        case .transient: .transient
        case .timedOut: .timedOut
        case .permanent: .permanent
        }
    }
}
