import Metrics

/// The engine's counters (swift-metrics). Labels name the operation, never anything about the request.
///
/// - `devpay_retry_attempts_total{operation, outcome}`: every attempt, by outcome (success or error class).
/// - `devpay_retry_retries_total{operation, error_class}`: every retry scheduled.
/// - `devpay_retry_giveups_total{operation, reason}`: every operation that ended in failure, by reason.
/// - `devpay_retry_backoff` (timer): every delay slept before a retry.
struct RetryMetrics: Sendable {
    /// A factory of the caller's, or `nil` for the globally bootstrapped one.
    let factory: (any MetricsFactory)?

    func countAttempt(operation: String, outcome: String) {
        counter("devpay_retry_attempts_total", [("operation", operation), ("outcome", outcome)]).increment()
    }

    func countRetry(operation: String, errorClass: RetryErrorClass, delay: Duration) {
        counter("devpay_retry_retries_total", [("operation", operation), ("error_class", errorClass.label)])
            .increment()
        let dimensions = [("operation", operation)]
        let timer = factory.map { Timer(label: "devpay_retry_backoff", dimensions: dimensions, factory: $0) }
            ?? Timer(label: "devpay_retry_backoff", dimensions: dimensions)
        timer.recordNanoseconds(delay.nanoseconds)
    }

    func countGiveUp(operation: String, reason: RetryStopReason) {
        counter("devpay_retry_giveups_total", [("operation", operation), ("reason", reason.rawValue)]).increment()
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        factory.map { Counter(label: label, dimensions: dimensions, factory: $0) }
            ?? Counter(label: label, dimensions: dimensions)
    }
}

extension RetryErrorClass {
    /// The class's name in logs and metrics.
    var label: String {
        switch self {
        case .throttling: "throttling"
        case .transient: "transient"
        case .permanent: "permanent"
        }
    }
}
