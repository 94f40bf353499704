/// Why the engine ended an operation with an error of its own rather than the operation's.
///
/// When retries are exhausted, an error is permanent or the retry quota is empty, the engine rethrows the
/// operation's last error unchanged, so callers keep handling their own error types.
public enum RetryError: Error, CustomStringConvertible {
    /// The circuit breaker is open: no attempt was made. It may let a probe through after `retryAfter`.
    case circuitOpen(retryAfter: Duration)
    /// The deadline passed, or the next attempt could not start before it.
    /// `lastError` is the last attempt's error, `nil` when none was made.
    case deadlineExceeded(attempts: Int, lastError: (any Error)?)

    public var description: String {
        switch self {
        case .circuitOpen(let retryAfter):
            return "circuit breaker open; next probe in \(retryAfter)"
        case .deadlineExceeded(let attempts, let lastError):
            // The type, not the error's text: the engine cannot know whether that text is safe to show.
            let cause = lastError.map { " (last error: \(type(of: $0)))" } ?? ""
            return "deadline exceeded after \(attempts) attempt(s)\(cause)"
        }
    }
}
