import DevPayRetry
import DevPayStateMachine
import PropertyBased
import Testing

@Suite("backoff policies")
struct RetryPolicyTests {
    @Test("standard: 3 attempts, 1 s throttling base, 50 ms transient base, 20 s ceiling, 500-token quota")
    func standardDefaults() {
        let policy = StandardRetryPolicy.standard
        #expect(policy.maxAttempts == 3)
        #expect(policy.throttlingBaseDelay == .seconds(1))
        #expect(policy.transientBaseDelay == .milliseconds(50))
        #expect(policy.maxBackoff == .seconds(20))
        #expect(policy.retryQuota == RetryQuota(capacity: 500, retryCost: 5, timeoutRetryCost: 10, successReward: 1))
        #expect(policy.rateLimiter == nil)
    }

    @Test("without jitter the delays double from the base up to the 20 s ceiling")
    func exponentialCeiling() {
        let policy = StandardRetryPolicy(jitter: .none)
        let throttled = (1...7).map { policy.backoff(afterAttempt: $0, errorClass: .throttling, randomDraw: 0.3) }
        #expect(throttled == [1, 2, 4, 8, 16, 20, 20].map { Duration.seconds($0) })
        let transient = (1...4).map { policy.backoff(afterAttempt: $0, errorClass: .transient, randomDraw: 0.3) }
        #expect(transient == [50, 100, 200, 400].map { Duration.milliseconds($0) })
        #expect(policy.backoff(afterAttempt: 10_000, errorClass: .transient, randomDraw: 0) == .seconds(20))
    }

    @Test("full jitter scales the ceiling by the draw, in whole nanoseconds")
    func fullJitter() {
        let policy = StandardRetryPolicy.standard
        #expect(policy.backoff(afterAttempt: 1, errorClass: .throttling, randomDraw: 0.25) == .milliseconds(250))
        #expect(policy.backoff(afterAttempt: 3, errorClass: .throttling, randomDraw: 0.5) == .seconds(2))
        #expect(policy.backoff(afterAttempt: 2, errorClass: .transient, randomDraw: 0.1) == .milliseconds(10))
        #expect(policy.backoff(afterAttempt: 9, errorClass: .throttling, randomDraw: 0.75) == .seconds(15))
        #expect(policy.backoff(afterAttempt: 1, errorClass: .throttling, randomDraw: 0) == .zero)
    }

    @Test("the exact standard schedule for seed 42: five throttled retries")
    func exactScheduleForSeed() {
        var random = DevPayStateMachine.SeededRandomNumberGenerator(seed: 42)
        let policy = StandardRetryPolicy(maxAttempts: 6)
        let delays = (1...5).map { attempt in
            policy.backoff(
                afterAttempt: attempt, errorClass: .throttling,
                randomDraw: Double.random(in: 0..<1, using: &random))
        }
        #expect(delays == Self.seed42ThrottlingSchedule)
    }

    /// Pinned once from the implementation; each lies within its ceiling of 1, 2, 4, 8 and 16 s.
    static let seed42ThrottlingSchedule: [Duration] = [
        .nanoseconds(724_871_724), .nanoseconds(992_969_223), .nanoseconds(2_300_459_050),
        .nanoseconds(7_220_699_523), .nanoseconds(14_172_562_726),
    ]

    @Test("every jittered delay lies in [0, min(base·2^(n-1), 20 s)]")
    func jitterBounds() async {
        await propertyCheck(input: Gen.int(in: 1...80), Gen.double(in: 0..<1), Gen.bool) { attempt, draw, throttled in
            let policy = StandardRetryPolicy.standard
            let errorClass: RetryErrorClass = throttled ? .throttling : .transient
            let delay = policy.backoff(afterAttempt: attempt, errorClass: errorClass, randomDraw: draw)
            let ceiling = StandardRetryPolicy(jitter: .none)
                .backoff(afterAttempt: attempt, errorClass: errorClass, randomDraw: draw)
            #expect(delay >= .zero && delay <= ceiling && ceiling <= .seconds(20))
        }
    }

    @Test("the delay never shrinks as the draw grows")
    func monotoneInDraw() async {
        await propertyCheck(input: Gen.int(in: 1...10), Gen.double(in: 0..<1), Gen.double(in: 0..<1)) { attempt, a, b in
            let policy = StandardRetryPolicy.standard
            let low = policy.backoff(afterAttempt: attempt, errorClass: .throttling, randomDraw: min(a, b))
            let high = policy.backoff(afterAttempt: attempt, errorClass: .throttling, randomDraw: max(a, b))
            #expect(low <= high)
        }
    }

    @Test("adaptive uses the standard backoff and quota and adds a limiter; none makes one attempt")
    func adaptiveAndNone() {
        let adaptive = AdaptiveRetryPolicy.adaptive
        #expect(adaptive.maxAttempts == 3)
        #expect(adaptive.retryQuota?.capacity == 500)
        #expect(adaptive.rateLimiter?.isEnabled == false)
        #expect(adaptive.backoff(afterAttempt: 2, errorClass: .throttling, randomDraw: 0.5) == .seconds(1))
        #expect(NoRetryPolicy.none.maxAttempts == 1)
        #expect(NoRetryPolicy.none.retryQuota == nil)
    }
}
