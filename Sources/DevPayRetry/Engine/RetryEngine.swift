import Logging
import Metrics
import NIOConcurrencyHelpers

/// Runs operations in a retry loop under one policy, sharing a retry quota, an adaptive rate limiter and an
/// optional circuit breaker across all the operations of one client.
///
/// Keep one engine per client (License Service, S3) and wrap each request:
///
/// ```swift
/// let engine = RetryEngine(policy: .standard, clock: ContinuousClock())
/// let answer = try await engine.run("ActivateDesktopProduct", timeout: .seconds(60)) { attempt in
///     try await transport.send(request, timeout: attempt.timeRemaining)
/// }
/// ```
///
/// Time comes from the injected clock and jitter from the injected generator, so a test with a manual clock
/// and a seeded generator sees one exact schedule. Each attempt is logged at debug level (operation, attempt,
/// error class and type, delay: never the error's text) and counted (see the metric names on
/// `RetryMetrics`).
public final class RetryEngine: Sendable {
    /// The policy every operation follows.
    public let policy: any RetryPolicy
    private let time: RetryTimeSource
    private let state: NIOLockedValueBox<SharedRetryState>
    private let classifier: RetryErrorClassifier
    private let logger: Logger
    private let metrics: RetryMetrics

    /// Creates an engine.
    /// - Parameters:
    ///   - policy: `.standard`, `.adaptive`, `.none` or your own.
    ///   - clock: where time comes from; `ContinuousClock()` in production, a manual clock in tests.
    ///   - randomNumberGenerator: where jitter comes from; a seeded generator in tests.
    ///   - circuitBreaker: the breaker's thresholds, or `nil` (the default) for no breaker.
    ///   - classifier: how thrown errors are classified when `run` is not given its own classifier.
    ///   - logger: where attempts are logged, at debug level.
    ///   - metricsFactory: where attempts are counted; `nil` for the globally bootstrapped factory.
    public init<C: Clock>(
        policy: some RetryPolicy = .standard,
        clock: C,
        randomNumberGenerator: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        circuitBreaker: CircuitBreaker.Configuration? = nil,
        classifier: RetryErrorClassifier = .default,
        logger: Logger = Logger(label: "devpay.retry"),
        metricsFactory: (any MetricsFactory)? = nil
    ) where C.Duration == Duration {
        self.policy = policy
        self.time = RetryTimeSource(clock)
        self.classifier = classifier
        self.logger = logger
        self.metrics = RetryMetrics(factory: metricsFactory)
        self.state = NIOLockedValueBox(
            SharedRetryState(
                quota: policy.retryQuota,
                limiter: policy.rateLimiter,
                breaker: circuitBreaker.map(CircuitBreaker.init(configuration:)),
                random: randomNumberGenerator
            )
        )
    }

    /// The retry quota's tokens left, `nil` when the policy has no quota.
    public var retryQuotaAvailable: Int? {
        state.withLockedValue { $0.quota?.available }
    }

    /// The circuit breaker's state, `nil` without a breaker.
    public var circuitState: CircuitBreaker.State? {
        state.withLockedValue { $0.breaker?.state }
    }

    /// The adaptive limiter's current state, `nil` when the policy has none.
    public var rateLimiter: AdaptiveRateLimiter? {
        state.withLockedValue { $0.limiter }
    }

    /// Runs `operation` until it succeeds or the policy gives up.
    ///
    /// Gives up with the operation's own last error when it is permanent, the attempts are used up or the
    /// retry quota is empty; with ``RetryError/deadlineExceeded(attempts:lastError:)`` when the next attempt
    /// cannot start before `timeout` has passed; with ``RetryError/circuitOpen(retryAfter:)`` when the breaker
    /// is open; with `CancellationError` when the task is cancelled (also while waiting).
    /// - Parameters:
    ///   - operationName: a short, secret-free name for logs and metrics (`"GetObject"`).
    ///   - timeout: the overall deadline across all attempts and waits, from now; `nil` for none.
    ///   - classifier: overrides the engine's classifier for this operation.
    ///   - operation: one attempt; it may use ``RetryAttempt/timeRemaining`` as its own timeout.
    nonisolated(nonsending)
    public func run<Result>(
        _ operationName: String,
        timeout: Duration? = nil,
        classifier: RetryErrorClassifier? = nil,
        _ operation: (RetryAttempt) async throws -> Result
    ) async throws -> Result {
        let classifier = classifier ?? self.classifier
        let deadline = timeout.map { time.now() + $0 }
        var attemptNumber = 1
        var lastRetryCost: Int?
        var lastError: (any Error)?
        while true {
            let admission = try await admitAttempt(
                operationName, attempt: attemptNumber, deadline: deadline, lastError: lastError)
            let attempt = RetryAttempt(number: attemptNumber, timeRemaining: deadline.map { $0 - time.now() })
            do {
                let result = try await operation(attempt)
                recordSuccess(
                    operationName, attempt: attemptNumber, admission: admission, lastRetryCost: lastRetryCost)
                return result
            } catch {
                if error is CancellationError || Task.isCancelled {
                    state.withLockedValue { $0.breaker?.abandon(admission ?? .allowed) }
                    throw error
                }
                let classification = classifier.classify(error)
                let (decision, cost) = recordFailure(
                    classification, attempt: attemptNumber, admission: admission, deadline: deadline)
                log(operationName, attempt: attemptNumber, error: error, classification, decision)
                metrics.countAttempt(operation: operationName, outcome: classification.errorClass.label)
                switch decision {
                case .retry(let delay):
                    metrics.countRetry(operation: operationName, errorClass: classification.errorClass, delay: delay)
                    try await time.sleep(delay)
                    lastRetryCost = cost
                    lastError = error
                    attemptNumber += 1
                case .stop(.deadlineExceeded):
                    metrics.countGiveUp(operation: operationName, reason: .deadlineExceeded)
                    throw RetryError.deadlineExceeded(attempts: attemptNumber, lastError: error)
                case .stop(let reason):
                    metrics.countGiveUp(operation: operationName, reason: reason)
                    throw error
                }
            }
        }
    }

    /// Lets the next attempt start: fails fast on an open breaker, then waits for the limiter's token without
    /// crossing the deadline. Returns the breaker's admission (`nil` without a breaker).
    private func admitAttempt(
        _ operationName: String,
        attempt: Int,
        deadline: Duration?,
        lastError: (any Error)?
    ) async throws -> CircuitBreaker.Admission? {
        try Task.checkCancellation()
        let now = time.now()
        if let deadline, now >= deadline {
            metrics.countGiveUp(operation: operationName, reason: .deadlineExceeded)
            throw RetryError.deadlineExceeded(attempts: attempt - 1, lastError: lastError)
        }
        let admission = state.withLockedValue { $0.breaker?.admit(at: now) }
        if case .rejected(let retryAfter) = admission {
            logger.debug(
                "circuit open, attempt not made",
                metadata: ["operation": "\(operationName)", "attempt": "\(attempt)"])
            metrics.countGiveUp(operation: operationName, reason: .circuitOpen)
            throw RetryError.circuitOpen(retryAfter: retryAfter)
        }
        do {
            while true {
                let now = time.now()
                let wait = state.withLockedValue { $0.limiter?.acquireToken(at: now) } ?? .zero
                if wait == .zero {
                    return admission
                }
                if let deadline, now + wait >= deadline {
                    metrics.countGiveUp(operation: operationName, reason: .deadlineExceeded)
                    throw RetryError.deadlineExceeded(attempts: attempt - 1, lastError: lastError)
                }
                try await time.sleep(wait)
            }
        } catch {
            if let admission {
                state.withLockedValue { $0.breaker?.abandon(admission) }
            }
            throw error
        }
    }

    private func recordSuccess(
        _ operationName: String,
        attempt: Int,
        admission: CircuitBreaker.Admission?,
        lastRetryCost: Int?
    ) {
        let now = time.now()
        state.withLockedValue { state in
            state.quota?.recordSuccess(lastRetryCost: lastRetryCost)
            state.limiter?.recordResponse(throttled: false, at: now)
            if let admission {
                state.breaker?.record(failure: false, of: admission, at: now)
            }
        }
        logger.debug("attempt succeeded", metadata: ["operation": "\(operationName)", "attempt": "\(attempt)"])
        metrics.countAttempt(operation: operationName, outcome: "success")
    }

    /// Books a failure in the shared state and decides, under one lock, what follows; a retry is paid for
    /// from the quota here so that concurrent operations cannot overspend it.
    private func recordFailure(
        _ classification: RetryClassification,
        attempt: Int,
        admission: CircuitBreaker.Admission?,
        deadline: Duration?
    ) -> (RetryDecision, cost: Int?) {
        let now = time.now()
        return state.withLockedValue { state in
            state.limiter?.recordResponse(throttled: classification.errorClass == .throttling, at: now)
            if let admission {
                state.breaker?.record(failure: classification.errorClass != .permanent, of: admission, at: now)
            }
            let decision = RetrySchedule.decide(
                policy: policy,
                afterAttempt: attempt,
                classification: classification,
                randomDraw: state.nextDraw(),
                timeRemaining: deadline.map { $0 - now }
            )
            guard case .retry = decision, state.quota != nil else {
                return (decision, nil)
            }
            guard let cost = state.quota?.acquireRetry(afterTimeout: classification.isTimeout) else {
                return (.stop(.quotaExhausted), nil)
            }
            return (decision, cost)
        }
    }

    private func log(
        _ operationName: String,
        attempt: Int,
        error: any Error,
        _ classification: RetryClassification,
        _ decision: RetryDecision
    ) {
        var metadata: Logger.Metadata = [
            "operation": "\(operationName)",
            "attempt": "\(attempt)",
            "error.class": "\(classification.errorClass.label)",
            "error.type": "\(type(of: error))",
        ]
        if let hint = classification.hint {
            metadata["retry.server_hint"] = "\(hint.delay)"
        }
        switch decision {
        case .retry(let delay):
            metadata["retry.delay"] = "\(delay)"
            logger.debug("attempt failed, retrying", metadata: metadata)
        case .stop(let reason):
            metadata["retry.stop"] = "\(reason.rawValue)"
            logger.debug("attempt failed, giving up", metadata: metadata)
        }
    }
}

extension RetryEngine {
    /// Creates an engine on the continuous clock with the system's random generator: the production set-up.
    public convenience init(
        policy: some RetryPolicy = .standard,
        circuitBreaker: CircuitBreaker.Configuration? = nil,
        classifier: RetryErrorClassifier = .default,
        logger: Logger = Logger(label: "devpay.retry"),
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.init(
            policy: policy,
            clock: ContinuousClock(),
            circuitBreaker: circuitBreaker,
            classifier: classifier,
            logger: logger,
            metricsFactory: metricsFactory)
    }
}
