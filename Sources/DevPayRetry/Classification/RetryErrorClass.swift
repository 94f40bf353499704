/// How a failed attempt should be treated by a retry policy.
public enum RetryErrorClass: Sendable, Hashable {
    /// The service asked us to slow down (HTTP 503, `RequestThrottled`, `SlowDown`, `Throttling*`).
    case throttling
    /// A fault that usually goes away (500, 502, 504, `InternalError`, resets, timeouts).
    case transient
    /// Retrying cannot help; the error goes to the caller.
    case permanent
}
