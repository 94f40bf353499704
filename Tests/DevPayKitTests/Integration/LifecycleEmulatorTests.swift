import DevPayEmulator
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayS3
import DevPayTestSupport
import DevPayStateMachineTesting
import Foundation
import Testing

/// The lifecycle with the real License Service client and transport, against the emulator over HTTPS on
/// loopback (a generated CA; TLS verification on). The emulator's clock is frozen and moved in step with
/// the lifecycle's manual clock, so polling and deadlines run without waiting.
@Suite("Lifecycle against the emulator over HTTPS on loopback", .serialized, .timeLimit(.minutes(SanitizerRun.minutes(2))))
struct LifecycleEmulatorTests {
    static let start = Date(timeIntervalSince1970: 1_900_000_000)

    @Test("activate → pending → subscribed, an S3 request through the gate, then the deadline → reactivate")
    func fullCycle() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(clock: .frozen(at: Self.start)))
        try await withPeer(emulator) { emulator in try await runFullCycle(emulator) }
    }

    private func runFullCycle(_ emulator: EmulatorServer) async throws {
        let product = try await emulator.registerProduct()
        let purchase = try await emulator.purchase(
            productCode: product.productCode, scenario: .subscribedAfter(seconds: 60))
        let clock = ManualClock()
        let wallClock: @Sendable () -> Date = { Self.start.addingTimeInterval(clock.now.offset.seconds) }
        let transport = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let client = LicenseServiceClient(
            endpoint: try LicenseServiceEndpoint(emulator.baseURL.absoluteString), transport: transport,
            secondsSince1970: { Int64(wallClock().timeIntervalSince1970) })
        let store = FakeCredentialStore()
        let lifecycle = await DevPayLifecycle(
            configuration: LifecycleConfiguration(
                productToken: try ProductToken(product.productToken), licenseService: LicenseServiceAdapter(client: client), store: store,
                clock: clock, wallClock: wallClock, tokenExpiration: .seconds(3600)))
        let harness = Waiter(lifecycle: lifecycle)
        await harness.waitFor(.unactivated)

        // Activation succeeds while the card is still being vetted: pending, polled every 30 s.
        #expect(try await lifecycle.activate(key: purchase.activationKey) == .activatedUnsubscribed(checksLeft: 40))
        await harness.waitFor(.activatedUnsubscribed(checksLeft: 39))
        let s3 = lifecycle.s3Client(
            configuration: S3Client.Configuration(endpoint: try S3Endpoint(url: emulator.baseURL.absoluteString)),
            transport: transport)
        // Not subscribed yet: the S3 client refuses without sending anything.
        await #expect(throws: DevPayLifecycleError.self) { try await s3.perform { try await $0.listBuckets() } }
        for expected in [ActivationState.activatedUnsubscribed(checksLeft: 38), .subscribed] {
            try await emulator.advanceClock(by: 30)
            await clock.waitForSleeper(until: clock.now.advanced(by: .seconds(30)))
            clock.advance(by: .seconds(30))
            await harness.waitFor(expected)
        }

        // Real S3 requests (SigV4 with the DevPay token pair) through the lifecycle's S3 client.
        let bucket = "devpay-lifecycle"
        let bytes = Array("hello from a subscribed customer".utf8)
        try await s3.perform { try await $0.createBucket(bucket) }
        try await s3.perform { try await $0.putObject(bucket: bucket, key: "notes/hello.txt", bytes: bytes) }
        #expect(try await s3.perform { try await $0.listObjects(bucket: bucket).objects.map(\.key) } == ["notes/hello.txt"])
        #expect(try await s3.perform { try await $0.getObject(bucket: bucket, key: "notes/hello.txt") } == bytes)

        // The TokenExpiration deadline: expired on time, with no S3 failure; a new key reactivates.
        let stored = try #require(await store.stored)
        let deadline = try #require(stored.tokenExpiresAt)
        let remaining = Duration.seconds(deadline.timeIntervalSince(wallClock()))
        try await emulator.advanceClock(by: remaining.seconds)
        await clock.waitForSleeper(until: clock.now.advanced(by: remaining))
        clock.advance(by: remaining)
        await harness.waitFor(.expiredNeedsReactivation(.tokenExpired))
        await #expect(throws: DevPayLifecycleError.self) { try await s3.perform { try await $0.listBuckets() } }
        let fresh = try await emulator.issueActivationKey(customerID: purchase.customerID, productCode: product.productCode)
        #expect(try await lifecycle.reactivate(key: fresh.activationKey) == .activatedUnsubscribed(checksLeft: 40))
        await harness.waitFor(.subscribed)
        #expect(await store.stored?.accessKeyID != stored.accessKeyID)
        await lifecycle.shutDown()
    }

    @Test("an expired activation key is refused by the service and leaves the lifecycle unactivated")
    func expiredKey() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(clock: .frozen(at: Self.start)))
        let product = try await emulator.registerProduct()
        let purchase = try await emulator.purchase(productCode: product.productCode)
        try await emulator.advanceClock(by: 3601)
        let transport = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let client = LicenseServiceClient(
            endpoint: try LicenseServiceEndpoint(emulator.baseURL.absoluteString), transport: transport,
            secondsSince1970: { Int64(Self.start.timeIntervalSince1970) + 3601 })
        let lifecycle = await DevPayLifecycle(
            configuration: LifecycleConfiguration(
                productToken: try ProductToken(product.productToken), licenseService: LicenseServiceAdapter(client: client),
                store: FakeCredentialStore(), clock: ManualClock()))
        await Waiter(lifecycle: lifecycle).waitFor(.unactivated)
        let error = await #expect(throws: DevPayLifecycleError.self) {
            try await lifecycle.activate(key: purchase.activationKey)
        }
        guard case .licenseService(let failure) = error else {
            Issue.record("expected a License Service failure, got \(String(describing: error))")
            return
        }
        #expect(failure.code == "ExpiredActivationKey")
        #expect(failure.action == .getNewActivationKey)
        #expect(await lifecycle.state == .unactivated)
        await lifecycle.shutDown()
        await emulator.stop()
    }
}
