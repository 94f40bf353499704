/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Hashable {
    /// Try again after this delay.
    case retry(after: Duration)
    /// Give up.
    case stop(RetryStopReason)
}

/// Why an operation stopped retrying.
public enum RetryStopReason: String, Sendable, Hashable {
    /// The error is permanent.
    case notRetryable
    /// The policy's attempts are used up.
    case attemptsExhausted
    /// The next attempt could not start before the caller's deadline.
    case deadlineExceeded
    /// The shared retry quota cannot pay for another retry.
    case quotaExhausted
    /// The circuit breaker is open.
    case circuitOpen
}

/// The pure schedule: from (attempt, classification, server hint, random draw, time left) to a decision.
///
/// Everything stateful (quota, rate limiter, circuit breaker, clock, random generator) lives elsewhere, so a
/// test pins the whole schedule by choosing the draws.
public enum RetrySchedule {
    /// How far past the computed delay a server hint may push the wait.
    public static let maximumHintExtension: Duration = .seconds(5)

    /// Decides what follows failed attempt `attempt` (1-based).
    ///
    /// The computed backoff is raised to the server's hint, but never beyond 5 s past the computed delay.
    /// A retry is scheduled only if it starts before the deadline: when the wait would reach it, the decision
    /// is to stop now instead of sleeping in vain.
    /// - Parameter timeRemaining: the time left until the caller's deadline, `nil` without one.
    public static func decide(
        policy: some RetryPolicy,
        afterAttempt attempt: Int,
        classification: RetryClassification,
        randomDraw: Double,
        timeRemaining: Duration?
    ) -> RetryDecision {
        guard classification.errorClass != .permanent else { return .stop(.notRetryable) }
        guard attempt < policy.maxAttempts else { return .stop(.attemptsExhausted) }
        let computed = policy.backoff(
            afterAttempt: attempt,
            errorClass: classification.errorClass,
            randomDraw: randomDraw
        )
        let delay = clamp(hint: classification.hint, computedDelay: computed)
        if let timeRemaining, delay >= timeRemaining {
            return .stop(.deadlineExceeded)
        }
        return .retry(after: delay)
    }

    /// The server's hint clamped to `[computedDelay, computedDelay + 5 s]`; the computed delay without a hint.
    public static func clamp(hint: ServerRetryHint?, computedDelay: Duration) -> Duration {
        guard let hint else { return computedDelay }
        return min(max(hint.delay, computedDelay), computedDelay + maximumHintExtension)
    }
}
