import DevPayRetry

/// The set-up of a retry-storm study: many clients, each needing one successful request, hit a service
/// that serves a fixed number of requests per second and answers 503 beyond that.
public struct RetryStormScenario: Sendable, Hashable {
    /// How many clients each need one successful request.
    public var clients: Int
    /// How many requests the service serves in any one-second window; beyond that it answers 503.
    public var capacityPerSecond: Int
    /// How long the simulation runs; clients retry until they succeed or this ends.
    public var duration: Duration
    /// The time from sending a request to receiving its answer, the same for 200 and 503.
    public var responseTime: Duration
    /// The clients' first attempts are spread uniformly over this window from time zero.
    public var arrivalWindow: Duration

    /// Creates a scenario; the defaults are the study's: 1 000 clients, 100 requests/s, 5 minutes, answers
    /// after 100 ms, everyone arriving within the first second.
    public init(
        clients: Int = 1_000,
        capacityPerSecond: Int = 100,
        duration: Duration = .seconds(300),
        responseTime: Duration = .milliseconds(100),
        arrivalWindow: Duration = .seconds(1)
    ) {
        precondition(clients > 0 && capacityPerSecond > 0, "a study needs clients and a service")
        self.clients = clients
        self.capacityPerSecond = capacityPerSecond
        self.duration = duration
        self.responseTime = responseTime
        self.arrivalWindow = arrivalWindow
    }
}

/// The retry behaviours a study compares.
public enum RetryStormStrategy: String, Sendable, Hashable, CaseIterable {
    /// `min(1 s · 2^i, 20 s)` with no jitter: every client waits the same.
    case exponentialWithoutJitter = "exponential-no-jitter"
    /// The standard policy's full-jitter backoff.
    case standard
    /// The adaptive policy, each client with its own rate limiter (independent apps).
    case adaptivePerClient = "adaptive"
    /// The adaptive policy with one rate limiter shared by all clients (one process sending for all).
    case adaptiveShared = "adaptive-shared"

    /// The policy a simulated client follows. Attempts are unlimited (the study's clients retry until they
    /// succeed or the run ends) and the retry quota is off: its job is to stop retrying, which the study
    /// does not want; with 500 tokens at 5 a retry, no client here would reach it anyway.
    public var policy: any RetryPolicy {
        let unlimited = StandardRetryPolicy(maxAttempts: .max, retryQuota: nil)
        switch self {
        case .exponentialWithoutJitter:
            return StandardRetryPolicy(maxAttempts: .max, jitter: .none, retryQuota: nil)
        case .standard:
            return unlimited
        case .adaptivePerClient, .adaptiveShared:
            return AdaptiveRetryPolicy(standard: unlimited)
        }
    }

    /// Whether all clients share one rate limiter.
    var sharesLimiter: Bool { self == .adaptiveShared }
}
