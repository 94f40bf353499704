/// CUBIC congestion control (RFC 9438) applied to a request rate, as the AWS SDKs' adaptive mode does.
///
/// After a throttle at rate `W_max` the rate drops to `β · W_max`; successes then let it grow along
/// `C · (t − K)³ + W_max`, flat near the old maximum and steep far from it, where `K = ∛(W_max (1 − β) / C)` is
/// when the curve reaches `W_max` again. Rates are in requests per second, times in seconds.
struct CubicRateCalculator: Sendable, Hashable {
    let beta: Double
    let scale: Double
    private(set) var maxRateBeforeThrottle: Double
    private(set) var lastThrottleTime: Double
    private(set) var timeToRecover: Double

    init(beta: Double, scale: Double, startTime: Double) {
        self.beta = beta
        self.scale = scale
        maxRateBeforeThrottle = 0
        lastThrottleTime = startTime
        timeToRecover = 0
    }

    /// The rate the curve allows at `time`.
    func rateAfterSuccess(at time: Double) -> Double {
        let elapsed = time - lastThrottleTime - timeToRecover
        return scale * elapsed * elapsed * elapsed + maxRateBeforeThrottle
    }

    /// Remembers `currentRate` as the new maximum and returns the reduced rate.
    mutating func rateAfterThrottle(currentRate: Double, at time: Double) -> Double {
        maxRateBeforeThrottle = currentRate
        timeToRecover = (currentRate * (1 - beta) / scale).cubeRoot
        lastThrottleTime = time
        return currentRate * beta
    }
}

extension Double {
    /// The real cube root of a non-negative value, by Newton's method (keeps the module free of Foundation).
    fileprivate var cubeRoot: Double {
        guard self > 0, isFinite else { return 0 }
        var root = Swift.max(self, 1)
        while true {
            let next = (2 * root + self / (root * root)) / 3
            // From above, the iterates decrease monotonically; stop when they no longer do.
            if next >= root { return root }
            root = next
        }
    }
}
