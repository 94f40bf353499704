@testable import DevPayRetry
import PropertyBased
import Testing

@Suite("the adaptive rate limiter")
struct AdaptiveRateLimiterTests {
    @Test("it lets everything through until the first throttle")
    func offUntilThrottled() {
        var limiter = AdaptiveRateLimiter()
        for step in 0..<100 {
            let now = Duration.milliseconds(step)
            #expect(limiter.acquireToken(at: now) == .zero)
            limiter.recordResponse(throttled: false, at: now)
        }
        #expect(!limiter.isEnabled)
    }

    @Test("the first throttle with no measured rate drops to the 0.5/s minimum: the next send waits 2 s")
    func firstThrottleFromNothing() {
        var limiter = AdaptiveRateLimiter()
        limiter.recordResponse(throttled: true, at: .zero)
        #expect(limiter.isEnabled)
        #expect(limiter.allowedRate == 0.5)
        #expect(limiter.acquireToken(at: .zero) == .seconds(2))
        #expect(limiter.acquireToken(at: .seconds(2)) == .zero)
        #expect(limiter.acquireToken(at: .seconds(2)) == .seconds(2))
    }

    @Test("tokens earned before the first throttle count: the bucket fills from the limiter's start")
    func creditBeforeThrottle() {
        var limiter = AdaptiveRateLimiter()
        limiter.recordResponse(throttled: true, at: .milliseconds(100))
        #expect(limiter.acquireToken(at: .milliseconds(100)) == .milliseconds(1_900))
    }

    @Test("the send rate is smoothed with weight 0.8 over half-second buckets")
    func smoothing() {
        var meter = SendRateMeter(smoothing: 0.8, bucketLength: 0.5, startTime: 0)
        for index in 0..<10 {
            #expect(meter.record(at: Double(index) * 0.05) == 0)
        }
        #expect(meter.record(at: 0.5) == 0.8 * 22)
        for index in 0..<4 {
            _ = meter.record(at: 0.6 + Double(index) * 0.1)
        }
        #expect(abs(meter.record(at: 1.0) - (0.8 * 10 + 0.2 * 17.6)) < 1e-9)
    }

    @Test("a throttle cuts the rate to 0.7 of the measured rate")
    func multiplicativeDecrease() {
        var limiter = steadySender(perSecond: 40, seconds: 5)
        limiter.recordResponse(throttled: true, at: .seconds(5))
        #expect(limiter.measuredRate > 30)
        #expect(abs(limiter.allowedRate - 0.7 * limiter.measuredRate) < 1e-9)
    }

    @Test("CUBIC: K = ∛(W_max·(1−β)/C), the curve is back at W_max after K seconds and grows as C·(t−K)³ beyond")
    func cubicCurve() {
        var cubic = CubicRateCalculator(beta: 0.7, scale: 0.4, startTime: 0)
        let reduced = cubic.rateAfterThrottle(currentRate: 100, at: 10)
        #expect(reduced == 70)
        let recovery = 4.2171633265087465  // ∛(100 · 0.3 / 0.4) = ∛75
        #expect(abs(cubic.timeToRecover - recovery) < 1e-12)
        #expect(abs(cubic.rateAfterSuccess(at: 10 + recovery) - 100) < 1e-9)
        #expect(abs(cubic.rateAfterSuccess(at: 10) - 70) < 1e-9)
        #expect(abs(cubic.rateAfterSuccess(at: 10 + recovery + 2) - (100 + 0.4 * 8)) < 1e-9)
    }

    @Test("successes never raise the allowed rate above twice the measured send rate")
    func cappedAtTwiceMeasured() {
        var limiter = steadySender(perSecond: 10, seconds: 3)
        limiter.recordResponse(throttled: true, at: .seconds(3))
        // Long after the throttle the cubic curve is far above 20/s; the measured rate (~10/s) caps it.
        for step in 0..<200 {
            limiter.recordResponse(throttled: false, at: .seconds(3) + .milliseconds(100 * (step + 1)))
        }
        #expect(limiter.allowedRate <= 2 * limiter.measuredRate + 1e-9)
        #expect(limiter.allowedRate > limiter.measuredRate)
    }

    @Test("the token bucket paces sends at the allowed rate once enabled")
    func pacing() {
        var limiter = steadySender(perSecond: 20, seconds: 5)
        limiter.recordResponse(throttled: true, at: .seconds(5))
        let rate = limiter.allowedRate
        // Spend whatever is there, then every further token arrives 1/rate apart.
        var now = Duration.seconds(5)
        while limiter.acquireToken(at: now) == .zero {}
        for _ in 0..<5 {
            let wait = limiter.acquireToken(at: now)
            now += wait
            #expect(limiter.acquireToken(at: now) == .zero)
            #expect(abs(limiter.acquireToken(at: now).secondsValue - 1 / rate) < 1e-6)
        }
    }

    @Test("under any sequence of answers the rate stays ≥ 0.5/s and ≤ max(2 × measured, 0.5), waits ≤ 2 s")
    func invariants() async {
        let steps = Gen.int(in: 1...700).array(of: 1...200)
        await propertyCheck(input: steps, Gen.bool(0.3).array(of: 200)) { gaps, throttles in
            var limiter = AdaptiveRateLimiter()
            var now = Duration.zero
            for (gap, throttled) in zip(gaps, throttles) {
                now += .milliseconds(gap)
                let wait = limiter.acquireToken(at: now)
                #expect(wait >= .zero && wait <= .seconds(2))
                limiter.recordResponse(throttled: throttled, at: now)
                #expect(limiter.allowedRate >= 0.5)
                #expect(limiter.allowedRate <= max(2 * limiter.measuredRate, 0.5) + 1e-9)
            }
        }
    }

    /// A limiter that has seen `perSecond` successful answers a second, evenly spaced, for `seconds`.
    private func steadySender(perSecond: Int, seconds: Int) -> AdaptiveRateLimiter {
        var limiter = AdaptiveRateLimiter()
        for index in 0..<(perSecond * seconds) {
            limiter.recordResponse(throttled: false, at: .seconds(1) * (Double(index) / Double(perSecond)))
        }
        return limiter
    }
}
