/// Everything the operations of one engine share, kept together behind the engine's lock: the retry quota,
/// the adaptive limiter, the circuit breaker and the random generator. All pure values; the engine acts on
/// what they decide outside the lock.
struct SharedRetryState: Sendable {
    var quota: RetryQuota?
    var limiter: AdaptiveRateLimiter?
    var breaker: CircuitBreaker?
    var random: any RandomNumberGenerator & Sendable

    /// A uniform draw in `0..<1` for jitter.
    mutating func nextDraw() -> Double {
        Double.random(in: 0..<1, using: &random)
    }
}
