/// The S3 gate's backoff for service faults in requests that callers of ``DevPayLifecycle/withS3Credentials(_:)``
/// send themselves, without a retry engine. Requests sent through ``DevPayS3Client`` are retried by the S3
/// client's `RetryEngine` and never reach this loop (one layer owns a call's retries, docs/ARCHITECTURE.md).
public struct ExponentialBackoff: Sendable, Hashable {
    /// The most attempts (the first included).
    public var maximumAttempts: Int
    /// The wait before the second attempt; it doubles for each later one.
    public var initialBackoff: Duration
    /// The longest wait.
    public var maximumBackoff: Duration

    /// Creates a schedule.
    public init(maximumAttempts: Int, initialBackoff: Duration, maximumBackoff: Duration) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// S3 service faults at the gate: three attempts, 100 ms then 200 ms apart.
    public static let s3 = ExponentialBackoff(
        maximumAttempts: 3, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(20))

    /// The wait after failed attempt number `attempt` (1-based).
    public func backoff(after attempt: Int) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(1, attempt) where delay < maximumBackoff {
            delay *= 2
        }
        return min(delay, maximumBackoff)
    }
}
