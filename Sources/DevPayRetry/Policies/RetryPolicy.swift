/// A retry policy: how many attempts, how long to wait between them, and which shared budgets apply.
///
/// Conform your own type to define a policy; ``StandardRetryPolicy``, ``AdaptiveRetryPolicy`` and
/// ``NoRetryPolicy`` are the built-in ones (`.standard`, `.adaptive`, `.none`). The backoff must be a pure
/// function of its arguments: the engine owns the clock, the random generator and the shared state.
public protocol RetryPolicy: Sendable {
    /// The most attempts one operation makes, the first included (1 means no retry).
    var maxAttempts: Int { get }

    /// The delay before the retry that follows failed attempt number `attempt` (1-based), before any server
    /// hint is applied.
    /// - Parameter randomDraw: a uniform draw in `0..<1` for jitter.
    func backoff(afterAttempt attempt: Int, errorClass: RetryErrorClass, randomDraw: Double) -> Duration

    /// The retry quota all operations of one engine share, in its initial state; `nil` for none.
    var retryQuota: RetryQuota? { get }

    /// The client-side rate limiter all operations of one engine share, in its initial state; `nil` for none.
    var rateLimiter: AdaptiveRateLimiter? { get }
}

extension RetryPolicy {
    /// No retry quota unless the policy says so.
    public var retryQuota: RetryQuota? { nil }
    /// No client-side rate limiting unless the policy says so.
    public var rateLimiter: AdaptiveRateLimiter? { nil }
}

extension RetryPolicy where Self == StandardRetryPolicy {
    /// The AWS SDKs' standard mode: 3 attempts, full jitter, a 500-token retry quota.
    public static var standard: StandardRetryPolicy { StandardRetryPolicy() }
}

extension RetryPolicy where Self == AdaptiveRetryPolicy {
    /// The AWS SDKs' adaptive mode: standard plus a CUBIC client-side rate limiter.
    public static var adaptive: AdaptiveRetryPolicy { AdaptiveRetryPolicy() }
}

extension RetryPolicy where Self == NoRetryPolicy {
    /// One attempt, no retry.
    public static var none: NoRetryPolicy { NoRetryPolicy() }
}
