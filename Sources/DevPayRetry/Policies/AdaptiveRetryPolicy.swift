/// The AWS SDKs' adaptive retry mode: the standard policy's backoff and quota, plus a client-side
/// ``AdaptiveRateLimiter`` that every attempt passes once the first throttling answer switched it on.
public struct AdaptiveRetryPolicy: RetryPolicy {
    /// The backoff and quota part.
    public var standard: StandardRetryPolicy
    /// The limiter's configuration.
    public var limiterConfiguration: AdaptiveRateLimiter.Configuration

    /// Creates the adaptive policy from its standard part and its limiter settings.
    public init(
        standard: StandardRetryPolicy = StandardRetryPolicy(),
        limiter: AdaptiveRateLimiter.Configuration = AdaptiveRateLimiter.Configuration()
    ) {
        self.standard = standard
        self.limiterConfiguration = limiter
    }

    public var maxAttempts: Int { standard.maxAttempts }
    public var retryQuota: RetryQuota? { standard.retryQuota }
    public var rateLimiter: AdaptiveRateLimiter? { AdaptiveRateLimiter(configuration: limiterConfiguration) }

    public func backoff(afterAttempt attempt: Int, errorClass: RetryErrorClass, randomDraw: Double) -> Duration {
        standard.backoff(afterAttempt: attempt, errorClass: errorClass, randomDraw: randomDraw)
    }
}
