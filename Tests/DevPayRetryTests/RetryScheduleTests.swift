import DevPayRetry
import PropertyBased
import Testing

@Suite("the pure retry schedule")
struct RetryScheduleTests {
    let policy = StandardRetryPolicy.standard

    @Test("permanent errors stop at once; the third failure exhausts the standard policy")
    func stops() {
        #expect(decide(.permanent, attempt: 1) == .stop(.notRetryable))
        #expect(decide(.throttling, attempt: 2) == .retry(after: .seconds(1)))
        #expect(decide(.throttling, attempt: 3) == .stop(.attemptsExhausted))
        #expect(decide(.transient, attempt: 1) == .retry(after: .milliseconds(25)))
    }

    @Test("a hint longer than the computed delay raises it, by at most 5 s")
    func hintRaisesDelay() {
        #expect(decide(.throttling, hint: .seconds(3), attempt: 1) == .retry(after: .seconds(3)))
        #expect(decide(.throttling, hint: .seconds(60), attempt: 1) == .retry(after: .milliseconds(5_500)))
    }

    @Test("a hint shorter than the computed delay does not shorten it")
    func hintNeverShortens() {
        #expect(decide(.throttling, hint: .milliseconds(10), attempt: 2) == .retry(after: .seconds(1)))
    }

    @Test("a retry that cannot start before the deadline stops now")
    func deadline() {
        #expect(decide(.throttling, attempt: 2, timeRemaining: .seconds(2)) == .retry(after: .seconds(1)))
        #expect(decide(.throttling, attempt: 2, timeRemaining: .seconds(1)) == .stop(.deadlineExceeded))
        #expect(decide(.throttling, hint: .seconds(4), attempt: 1, timeRemaining: .seconds(3)) == .stop(.deadlineExceeded))
        #expect(decide(.throttling, hint: .seconds(4), attempt: 1, timeRemaining: .seconds(5)) == .retry(after: .seconds(4)))
    }

    @Test("a clamped hint always lies in [computed, computed + 5 s] and equals the hint inside that range")
    func clampProperty() async {
        let durations = Gen.int(in: 0...120_000).map { Duration.milliseconds($0) }
        await propertyCheck(input: durations, durations) { computed, hinted in
            let delay = RetrySchedule.clamp(hint: ServerRetryHint(delay: hinted), computedDelay: computed)
            #expect(delay >= computed && delay <= computed + .seconds(5))
            if hinted >= computed && hinted <= computed + .seconds(5) {
                #expect(delay == hinted)
            }
        }
    }

    @Test("a scheduled retry always starts before the deadline")
    func deadlineProperty() async {
        await propertyCheck(
            input: Gen.int(in: 1...5), Gen.double(in: 0..<1), Gen.int(in: 0...30_000), Gen.int(in: 0...10_000)
        ) { attempt, draw, remainingMilliseconds, hintMilliseconds in
            let remaining = Duration.milliseconds(remainingMilliseconds)
            let decision = RetrySchedule.decide(
                policy: StandardRetryPolicy(maxAttempts: 10),
                afterAttempt: attempt,
                classification: RetryClassification(.throttling, hint: ServerRetryHint(delay: .milliseconds(hintMilliseconds))),
                randomDraw: draw,
                timeRemaining: remaining)
            if case .retry(let delay) = decision {
                #expect(delay < remaining)
            }
        }
    }

    private func decide(
        _ errorClass: RetryErrorClass,
        hint: Duration? = nil,
        attempt: Int,
        timeRemaining: Duration? = nil
    ) -> RetryDecision {
        RetrySchedule.decide(
            policy: policy,
            afterAttempt: attempt,
            classification: RetryClassification(errorClass, hint: hint.map(ServerRetryHint.init(delay:))),
            randomDraw: 0.5,
            timeRemaining: timeRemaining)
    }
}
