/// The AWS SDKs' standard retry mode.
///
/// The delay after failed attempt `n` is `draw × min(base · 2^(n-1), maxBackoff)` ("full jitter"), with a base
/// of 1 s after throttling and 50 ms after a transient fault; retries draw on a shared ``RetryQuota``.
/// With ``Jitter-swift.enum/none`` the draw is ignored, which is the synchronised exponential backoff the
/// retry-storm study uses as its baseline.
public struct StandardRetryPolicy: RetryPolicy, Hashable {
    /// Whether the exponential ceiling is scaled by the random draw.
    public enum Jitter: Sendable, Hashable {
        /// `draw × ceiling`: spreads clients over the whole interval.
        case full
        /// The ceiling itself: every client waits the same; for comparison only.
        case none
    }

    public var maxAttempts: Int
    /// The base after a throttling answer.
    public var throttlingBaseDelay: Duration
    /// The base after a transient fault.
    public var transientBaseDelay: Duration
    /// The ceiling of any computed delay.
    public var maxBackoff: Duration
    /// Full jitter (the default) or none.
    public var jitter: Jitter
    public var retryQuota: RetryQuota?

    /// Creates the standard policy; every default is the AWS SDKs' value.
    public init(
        maxAttempts: Int = 3,
        throttlingBaseDelay: Duration = .seconds(1),
        transientBaseDelay: Duration = .milliseconds(50),
        maxBackoff: Duration = .seconds(20),
        jitter: Jitter = .full,
        retryQuota: RetryQuota? = RetryQuota()
    ) {
        precondition(maxAttempts >= 1, "an operation makes at least one attempt")
        self.maxAttempts = maxAttempts
        self.throttlingBaseDelay = throttlingBaseDelay
        self.transientBaseDelay = transientBaseDelay
        self.maxBackoff = maxBackoff
        self.jitter = jitter
        self.retryQuota = retryQuota
    }

    public func backoff(afterAttempt attempt: Int, errorClass: RetryErrorClass, randomDraw: Double) -> Duration {
        let base = errorClass == .throttling ? throttlingBaseDelay : transientBaseDelay
        let ceiling = Self.exponentialCeiling(base: base, retryIndex: max(attempt - 1, 0), cap: maxBackoff)
        switch jitter {
        case .none:
            return ceiling
        case .full:
            let draw = min(max(randomDraw, 0), 1)
            return .nanoseconds(Int64((Double(ceiling.nanoseconds) * draw).rounded(.down)))
        }
    }

    /// `min(base · 2^retryIndex, cap)`, in whole nanoseconds, without overflow for any index.
    static func exponentialCeiling(base: Duration, retryIndex: Int, cap: Duration) -> Duration {
        let baseNanoseconds = base.nanoseconds
        let capNanoseconds = cap.nanoseconds
        guard baseNanoseconds > 0 else { return .zero }
        guard retryIndex < 63, baseNanoseconds <= capNanoseconds >> Int64(retryIndex) else {
            return .nanoseconds(capNanoseconds)
        }
        return .nanoseconds(baseNanoseconds << Int64(retryIndex))
    }
}

extension Duration {
    /// The whole nanoseconds in this duration, rounded toward zero (package-wide: the retry-storm study uses it).
    package var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// This duration in seconds, as the rate limiter's arithmetic wants it.
    var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
