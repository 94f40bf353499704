import DevPayEmulator
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPaySigning
import DevPayTesting
import Foundation
import HTTPTypes
import Testing

/// The lifecycle with the real License Service client and transport, against the emulator over HTTPS on
/// loopback (a generated CA; TLS verification on). The emulator's clock is frozen and moved in step with
/// the lifecycle's manual clock, so polling and deadlines run without waiting.
@Suite("Lifecycle against the emulator over HTTPS on loopback", .serialized, .timeLimit(.minutes(2)))
struct LifecycleEmulatorTests {
    static let start = Date(timeIntervalSince1970: 1_900_000_000)

    @Test("activate → pending → subscribed, an S3 request through the gate, then the deadline → reactivate")
    func fullCycle() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(clock: .frozen(at: Self.start)))
        do {
            try await runFullCycle(emulator)
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
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
                productToken: product.productToken, licenseService: LicenseServiceAdapter(client: client), store: store,
                clock: clock, wallClock: wallClock, tokenExpiration: .seconds(3600)))
        let harness = Waiter(lifecycle: lifecycle)
        await harness.waitFor(.unactivated)

        // Activation succeeds while the card is still being vetted: pending, polled every 30 s.
        #expect(try await lifecycle.activate(key: purchase.activationKey) == .activatedUnsubscribed(checksLeft: 40))
        await harness.waitFor(.activatedUnsubscribed(checksLeft: 39))
        await #expect(throws: DevPayLifecycleError.self) { try await lifecycle.withS3Credentials { _ in } }
        for expected in [ActivationState.activatedUnsubscribed(checksLeft: 38), .subscribed] {
            try await emulator.advanceClock(by: 30)
            await clock.waitForSleeper(until: clock.now.advanced(by: .seconds(30)))
            clock.advance(by: .seconds(30))
            await harness.waitFor(expected)
        }

        // A real S3 request (ListBuckets, SigV4 with the DevPay token pair) through the gate.
        let status = try await lifecycle.withS3Credentials { credentials in
            try await Self.listBuckets(at: emulator.baseURL, with: credentials, now: wallClock(), transport: transport)
        }
        #expect(status == 200)

        // The TokenExpiration deadline: expired on time, with no S3 failure; a new key reactivates.
        let stored = try #require(await store.stored)
        let deadline = try #require(stored.tokenExpiresAt)
        let remaining = Duration.seconds(deadline.timeIntervalSince(wallClock()))
        try await emulator.advanceClock(by: remaining.seconds)
        await clock.waitForSleeper(until: clock.now.advanced(by: remaining))
        clock.advance(by: remaining)
        await harness.waitFor(.expiredNeedsReactivation(.tokenExpired))
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
                productToken: product.productToken, licenseService: LicenseServiceAdapter(client: client),
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

    /// GET / signed with SigV4 and the DevPay token pair; returns the HTTP status.
    static func listBuckets(
        at baseURL: URL, with credentials: S3RequestCredentials, now: Date, transport: CurlHTTPClient
    ) async throws -> Int {
        var request = try SigningRequest(method: "GET", url: baseURL.absoluteString)
        let signer = try SigV4Signer(credentials: credentials.signing, region: "us-east-1")
        let time = try SigningTime(secondsSince1970: Int64(credentials.signingDate(now: now).timeIntervalSince1970))
        try signer.sign(&request, at: time, payload: .empty)
        var fields = HTTPFields()
        for header in request.headers where header.name.lowercased() != "host" {
            fields.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value))
        }
        let head = HTTPRequest(
            method: .get, scheme: request.scheme, authority: request.authority, path: "/" + request.path
                .drop(while: { $0 == "/" }), headerFields: fields)
        let response = try await transport.send(head, body: nil, options: HTTPRequestOptions())
        if response.head.status.code >= 300 {
            throw S3ErrorAnswer(code: String(decoding: response.body, as: UTF8.self), status: response.head.status.code)
        }
        return response.head.status.code
    }
}

