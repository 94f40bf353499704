import DevPayRetry
import DevPayTestSupport
import NIOConcurrencyHelpers
import DevPayStateMachine
import DevPayStateMachineTesting
import MetricsTestKit
import Testing

@Suite("the retry engine on a manual clock", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct RetryEngineTests {
    let clock = ManualClock()

    func engine(
        _ policy: some RetryPolicy = .standard,
        seed: UInt64 = 42,
        circuitBreaker: CircuitBreaker.Configuration? = nil,
        metrics: TestMetrics? = nil
    ) -> RetryEngine {
        RetryEngine(
            policy: policy,
            clock: clock,
            randomNumberGenerator: SeededRandomNumberGenerator(seed: seed),
            circuitBreaker: circuitBreaker,
            metricsFactory: metrics)
    }

    @Test("the exact schedule for seed 42: one draw per failure, delays as the pure policy computes them")
    func exactSchedule() async throws {
        let policy = StandardRetryPolicy(maxAttempts: 6)
        let engine = engine(policy)
        let operation = ScriptedOperation(failures: [.throttled, .throttled, .transient, .throttled, .throttled])
        let run = Task { try await engine.run("Get") { try operation($0) } }
        let slept = await clock.completeSleeps(5)
        #expect(try await run.value == 6)

        var random = SeededRandomNumberGenerator(seed: 42)
        let classes: [RetryErrorClass] = [.throttling, .throttling, .transient, .throttling, .throttling]
        let expected = classes.enumerated().map { index, errorClass in
            policy.backoff(
                afterAttempt: index + 1, errorClass: errorClass, randomDraw: Double.random(in: 0..<1, using: &random))
        }
        #expect(slept == expected)
        #expect(slept == Self.seed42MixedSchedule)
        #expect(operation.attempts.map(\.number) == [1, 2, 3, 4, 5, 6])
    }

    /// Pinned once from the implementation: throttling ceilings 1, 2, 8, 16 s and a 200 ms transient ceiling.
    static let seed42MixedSchedule: [Duration] = [
        .nanoseconds(724_871_724), .nanoseconds(992_969_223), .nanoseconds(115_022_952),
        .nanoseconds(7_220_699_523), .nanoseconds(14_172_562_726),
    ]

    @Test("after three failed attempts the standard policy gives up with the operation's own error")
    func exhaustsAttempts() async throws {
        let engine = engine()
        let operation = ScriptedOperation(failures: [.transient, .transient, .throttled, .throttled])
        let run = Task { try await engine.run("Get") { try operation($0) } }
        _ = await clock.completeSleeps(2)
        await #expect(throws: ScriptedFault.throttled) { try await run.value }
        #expect(operation.attempts.count == 3)
    }

    @Test("a permanent error is not retried and costs no quota")
    func permanentNotRetried() async throws {
        let engine = engine()
        let operation = ScriptedOperation(failures: [.permanent])
        await #expect(throws: ScriptedFault.permanent) { try await engine.run("Get") { try operation($0) } }
        #expect(operation.attempts.count == 1)
        #expect(engine.retryQuotaAvailable == 500)
    }

    @Test("retries draw on the shared quota, a success after a retry refunds it, a first-try success earns 1")
    func quotaAccounting() async throws {
        let engine = engine(StandardRetryPolicy(retryQuota: RetryQuota(capacity: 30)))
        let first = ScriptedOperation(failures: [.timedOut, .transient])
        let run = Task { try await engine.run("Get") { try first($0) } }
        _ = await clock.completeSleeps(2)
        _ = try await run.value
        // 10 for the retry after the timeout, 5 for the next, 5 back for the success.
        #expect(engine.retryQuotaAvailable == 20)
        _ = try await engine.run("Get") { try ScriptedOperation(failures: [])($0) }
        #expect(engine.retryQuotaAvailable == 21)
    }

    @Test("an empty quota ends the operation with its own error instead of retrying")
    func quotaExhausted() async throws {
        let metrics = TestMetrics()
        let engine = engine(StandardRetryPolicy(retryQuota: RetryQuota(capacity: 7)), metrics: metrics)
        let operation = ScriptedOperation(failures: [.transient, .transient, .transient])
        let run = Task { try await engine.run("Get") { try operation($0) } }
        _ = await clock.completeSleeps(1)
        await #expect(throws: ScriptedFault.transient) { try await run.value }
        #expect(operation.attempts.count == 2)
        #expect(engine.retryQuotaAvailable == 2)
        let giveUps = [("operation", "Get"), ("reason", "quotaExhausted")]
        #expect(metrics.counterTotal(label: "devpay_retry_giveups_total", dimensions: giveUps) == 1)
    }

    @Test("a server hint stretches the wait, clamped to 5 s past the computed delay")
    func serverHint() async throws {
        let engine = engine()
        struct Hinted: Error, RetryClassifiable {
            var retryClassification: RetryClassification {
                .httpResponse(status: 503, errorCode: "SlowDown", hint: ServerRetryHint(delay: .seconds(30)))
            }
        }
        let failures = NIOLockedValueBox(1)
        let run = Task {
            try await engine.run("Put") { _ in
                if failures.withLockedValue({ count in defer { count -= 1 }; return count > 0 }) { throw Hinted() }
            }
        }
        let slept = await clock.completeSleeps(1)
        try await run.value
        let computed = StandardRetryPolicy.standard.backoff(
            afterAttempt: 1, errorClass: .throttling, randomDraw: firstDraw(seed: 42))
        #expect(slept == [computed + .seconds(5)])
    }

    @Test("the overall deadline ends the loop with deadlineExceeded when the next retry cannot start in time")
    func deadline() async throws {
        let engine = engine(StandardRetryPolicy(maxAttempts: 100, jitter: .none))
        let operation = ScriptedOperation(failures: Array(repeating: .throttled, count: 100))
        let run = Task { try await engine.run("Get", timeout: .seconds(10)) { try operation($0) } }
        // Waits of 1, 2 and 4 s fit in 10 s; the 8 s wait after the fourth attempt would not.
        let slept = await clock.completeSleeps(3)
        #expect(slept == [.seconds(1), .seconds(2), .seconds(4)])
        do {
            _ = try await run.value
            Issue.record("expected the deadline to end the loop")
        } catch RetryError.deadlineExceeded(let attempts, let lastError) {
            #expect(attempts == 4)
            #expect(lastError as? ScriptedFault == .throttled)
        }
        #expect(operation.attempts.map(\.timeRemaining) == [.seconds(10), .seconds(9), .seconds(7), .seconds(3)])
    }

    @Test("an open breaker fails fast without calling the operation, then lets one probe through")
    func circuitBreaker() async throws {
        let breaker = CircuitBreaker.Configuration(
            windowSize: 4, minimumOutcomes: 2, failureRatio: 1, openDuration: .seconds(30))
        let engine = engine(.none, circuitBreaker: breaker)
        for _ in 0..<2 {
            await #expect(throws: ScriptedFault.throttled) {
                try await engine.run("Get") { try ScriptedOperation(failures: [.throttled])($0) }
            }
        }
        #expect(engine.circuitState == .open(until: .seconds(30)))
        let untouched = ScriptedOperation(failures: [])
        do {
            _ = try await engine.run("Get") { try untouched($0) }
            Issue.record("expected the open breaker to fail fast")
        } catch RetryError.circuitOpen(let retryAfter) {
            #expect(retryAfter == .seconds(30))
        }
        #expect(untouched.attempts.isEmpty)
        clock.advance(by: .seconds(30))
        #expect(try await engine.run("Get") { try untouched($0) } == 1)
        #expect(engine.circuitState == .closed)
    }

    @Test("a permanent error counts as a healthy answer for the breaker")
    func permanentKeepsBreakerClosed() async throws {
        let breaker = CircuitBreaker.Configuration(windowSize: 4, minimumOutcomes: 2, failureRatio: 0.5)
        let engine = engine(.none, circuitBreaker: breaker)
        for _ in 0..<4 {
            await #expect(throws: ScriptedFault.permanent) {
                try await engine.run("Get") { try ScriptedOperation(failures: [.permanent])($0) }
            }
        }
        #expect(engine.circuitState == .closed)
    }

    @Test("cancelling the task during a backoff wait ends the loop with CancellationError")
    func cancellation() async throws {
        let engine = engine()
        let operation = ScriptedOperation(failures: [.throttled, .throttled])
        let run = Task { try await engine.run("Get") { try operation($0) } }
        await clock.waitForSleepers(count: 1)
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(operation.attempts.count == 1)
    }

    @Test("adaptive: after a throttle the next attempt waits for a token, 2 s after the throttle in all")
    func adaptivePacing() async throws {
        let engine = engine(.adaptive)
        let operation = ScriptedOperation(failures: [.throttled])
        let run = Task { try await engine.run("Get") { try operation($0) } }
        // The backoff, then the token wait for what the bucket (0.5/s) has not refilled during it.
        let slept = await clock.completeSleeps(2)
        #expect(try await run.value == 2)
        let backoff = StandardRetryPolicy.standard.backoff(
            afterAttempt: 1, errorClass: .throttling, randomDraw: firstDraw(seed: 42))
        #expect(slept[0] == backoff)
        #expect(abs((slept[0] + slept[1] - .seconds(2)).inSeconds) < 1e-8)
        #expect(engine.rateLimiter?.isEnabled == true)
    }

    @Test("adaptive: a token wait that would cross the deadline ends the loop at once")
    func adaptiveWaitRespectsDeadline() async throws {
        let engine = engine(.adaptive)
        let operation = ScriptedOperation(failures: [.throttled])
        let run = Task { try await engine.run("Get", timeout: .milliseconds(1_500)) { try operation($0) } }
        // The backoff (0.72 s for seed 42) fits; the token, due 2 s after the throttle, would not.
        let slept = await clock.completeSleeps(1)
        #expect(slept == [.nanoseconds(724_871_724)])
        do {
            _ = try await run.value
            Issue.record("expected the deadline to end the loop")
        } catch RetryError.deadlineExceeded(let attempts, let lastError) {
            #expect(attempts == 1)
            #expect(lastError as? ScriptedFault == .throttled)
        }
        #expect(clock.now.offset == .nanoseconds(724_871_724))
    }

    @Test("every attempt is counted by outcome, every retry and its delay recorded")
    func metrics() async throws {
        let metrics = TestMetrics()
        let engine = engine(metrics: metrics)
        let operation = ScriptedOperation(failures: [.throttled, .transient])
        let run = Task { try await engine.run("Get") { try operation($0) } }
        _ = await clock.completeSleeps(2)
        _ = try await run.value
        for outcome in ["throttling", "transient", "success"] {
            #expect(metrics.counterTotal(
                label: "devpay_retry_attempts_total", dimensions: [("operation", "Get"), ("outcome", outcome)]) == 1)
        }
        #expect(metrics.counterTotal(label: "devpay_retry_retries_total") == 2)
        #expect(try metrics.expectTimer("devpay_retry_backoff", [("operation", "Get")]).values.count == 2)
    }

    private func firstDraw(seed: UInt64) -> Double {
        var random = SeededRandomNumberGenerator(seed: seed)
        return Double.random(in: 0..<1, using: &random)
    }
}

extension Duration {
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
