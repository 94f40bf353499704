import Foundation

/// Everything one product's lifecycle needs: its product token, its services, its clocks and its schedules.
///
/// `C` is the clock timers run on (`ContinuousClock` in apps, a manual clock in tests).
public struct LifecycleConfiguration<C: Clock>: Sendable where C.Duration == Duration {
    /// The product token embedded in the app (`{ProductToken}…`), sent with every DevPay request.
    public var productToken: String
    /// The License Service client.
    public var licenseService: any LicenseServicing
    /// This product's credential store.
    public var store: any CredentialStoring
    /// The clock for timers, backoff and polling.
    public var clock: C
    /// The wall-clock time, for `TokenExpiration` deadlines (persisted as dates) and request signing.
    public var wallClock: @Sendable () -> Date
    /// The subscription polling after an activation.
    public var polling: PollingSchedule
    /// Retries of a subscription check whose answer is needed (launch, S3 access denied).
    public var verificationRetry: VerificationRetryPolicy
    /// Retries of S3 requests answered with a service fault (500, 503 `SlowDown`).
    public var s3Retry: S3RetryPolicy
    /// `TokenExpiration` asked for at activation, or `nil` for user tokens that do not expire.
    public var tokenExpiration: Duration?

    /// Creates a configuration; schedules default to the protocol doc's values.
    public init(
        productToken: String,
        licenseService: any LicenseServicing,
        store: any CredentialStoring,
        clock: C,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        polling: PollingSchedule = .standard,
        verificationRetry: VerificationRetryPolicy = .standard,
        s3Retry: S3RetryPolicy = .standard,
        tokenExpiration: Duration? = nil
    ) {
        self.productToken = productToken
        self.licenseService = licenseService
        self.store = store
        self.clock = clock
        self.wallClock = wallClock
        self.polling = polling
        self.verificationRetry = verificationRetry
        self.s3Retry = s3Retry
        self.tokenExpiration = tokenExpiration
    }
}

/// How the S3 gate retries requests that S3 answered with a service fault.
public struct S3RetryPolicy: Sendable, Hashable {
    /// The most times one request is sent (the first included).
    public var maximumAttempts: Int
    /// The wait before the second attempt; it doubles for each later one.
    public var initialBackoff: Duration
    /// The longest wait.
    public var maximumBackoff: Duration

    /// Creates a policy.
    public init(maximumAttempts: Int, initialBackoff: Duration, maximumBackoff: Duration) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Three attempts, 100 ms then 200 ms apart.
    public static let standard = S3RetryPolicy(
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
