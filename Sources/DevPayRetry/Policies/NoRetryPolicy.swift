/// One attempt and no retry: the error of the first failure goes straight to the caller.
public struct NoRetryPolicy: RetryPolicy, Hashable {
    /// Creates the policy.
    public init() {}

    public var maxAttempts: Int { 1 }

    public func backoff(afterAttempt attempt: Int, errorClass: RetryErrorClass, randomDraw: Double) -> Duration {
        .zero
    }
}
