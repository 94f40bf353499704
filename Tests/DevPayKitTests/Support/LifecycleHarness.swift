import DevPayKit
import DevPayLicenseService
import DevPayStateMachineTesting
import Foundation
import Testing

/// One product's lifecycle wired to fakes and a manual clock, with helpers to wait for states.
struct LifecycleHarness {
    let clock: ManualClock
    let service: FakeLicenseService
    let store: FakeCredentialStore
    let lifecycle: DevPayLifecycle<ManualClock>

    static let polling = PollingSchedule(every: .seconds(30), for: .seconds(150))
    /// Re-checks after 1–2 s, then 2–4 s, capped at 4–8 s; a fixed seed keeps every run the same.
    static let recheck = RecheckSchedule(firstDelay: .seconds(2), maximumDelay: .seconds(8), jitterSeed: 7)

    init(
        clock: ManualClock = ManualClock(),
        service: FakeLicenseService = FakeLicenseService(),
        store: FakeCredentialStore = FakeCredentialStore(),
        tokenExpiration: Duration? = nil,
        productToken: ProductToken = Fixtures.productToken,
        s3Backoff: Duration = .milliseconds(100)
    ) async {
        self.clock = clock
        self.service = service
        self.store = store
        let configuration = LifecycleConfiguration(
            productToken: productToken, licenseService: service, store: store, clock: clock,
            wallClock: { Fixtures.epoch.addingTimeInterval(clock.now.offset.seconds) },
            polling: Self.polling,
            recheck: Self.recheck,
            s3Retry: ExponentialBackoff(maximumAttempts: 3, initialBackoff: s3Backoff, maximumBackoff: s3Backoff * 8),
            tokenExpiration: tokenExpiration)
        lifecycle = await DevPayLifecycle(configuration: configuration)
    }

    /// Waits (bounded by real time, so a bug fails instead of hanging) until the state satisfies `predicate`.
    func waitFor(
        _ description: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: @escaping @Sendable (ActivationState) -> Bool
    ) async {
        await Waiter(lifecycle: lifecycle).waitFor(description, sourceLocation: sourceLocation, predicate)
    }

    func waitFor(_ state: ActivationState, sourceLocation: SourceLocation = #_sourceLocation) async {
        await Waiter(lifecycle: lifecycle).waitFor(state, sourceLocation: sourceLocation)
    }

    /// Moves the manual clock to `offset` past the current time once a timer sleeps until then.
    func fireTimer(after duration: Duration) async {
        let deadline = clock.now.advanced(by: duration)
        await clock.waitForSleeper(until: deadline)
        clock.advance(to: deadline)
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
