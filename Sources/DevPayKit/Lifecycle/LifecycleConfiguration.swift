public import DevPayLicenseService
import Foundation

/// Everything one product's lifecycle needs: its product token, its services, its clocks and its schedules.
///
/// `C` is the clock timers run on (`ContinuousClock` in apps, a manual clock in tests).
public struct LifecycleConfiguration<C: Clock>: Sendable where C.Duration == Duration {
    /// The product token embedded in the app, parsed once (`ProductToken(_:)` trims and checks it): the same
    /// value goes to the License Service, into every S3 request and into the store's folder name
    /// (`ProductKey.product(_:)` of `DevPayCredentialStore`).
    public var productToken: ProductToken
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
    /// When a subscription check that got no answer is made again (the License Service client retried the
    /// call already; this is the chart's "try again later").
    public var recheck: RecheckSchedule
    /// Retries of S3 requests answered with a service fault (500, 503 `SlowDown`).
    public var s3Retry: ExponentialBackoff
    /// Whether a stored set is checked at launch (the default, as the DevPay guide asks), or left
    /// ``ActivationState/subscriptionUnknown(_:attempt:)`` until ``DevPayLifecycle/verifySubscription()``:
    /// for tools that only report what is stored, without network.
    public var checksSubscriptionAtLaunch: Bool
    /// `TokenExpiration` asked for at activation, or `nil` for user tokens that do not expire.
    public var tokenExpiration: Duration?

    /// Creates a configuration; schedules default to the values of docs/protocol.md §5. The re-check schedule's jitter
    /// seed comes from the system's generator unless a test passes a fixed one.
    public init(
        productToken: ProductToken,
        licenseService: any LicenseServicing,
        store: any CredentialStoring,
        clock: C,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        polling: PollingSchedule = .standard,
        recheck: RecheckSchedule = .standard(jitterSeed: UInt64.random(in: .min ... .max)),
        s3Retry: ExponentialBackoff = .s3,
        tokenExpiration: Duration? = nil,
        checksSubscriptionAtLaunch: Bool = true
    ) {
        self.productToken = productToken
        self.licenseService = licenseService
        self.store = store
        self.clock = clock
        self.wallClock = wallClock
        self.polling = polling
        self.recheck = recheck
        self.s3Retry = s3Retry
        self.tokenExpiration = tokenExpiration
        self.checksSubscriptionAtLaunch = checksSubscriptionAtLaunch
    }
}
