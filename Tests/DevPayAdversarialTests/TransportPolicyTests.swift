import DevPayCredentialStore
import DevPayEmulator
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayS3
import DevPaySigning
import Foundation
import HTTPTypes
import Testing

/// The transport rules the License Service and S3 paths rely on: HTTPS only, no plain-HTTP fallback, a
/// skewed clock corrected from S3's own answer rather than by reactivating.
@Suite("Transport policy")
struct TransportPolicyTests {
    @Test("an http:// License Service address is refused when it is made, for every spelling",
          arguments: ["http://ls.amazonaws.com/", "HTTP://127.0.0.1:8443/", "http://127.0.0.1/", "ftp://ls.amazonaws.com/",
                      "ls.amazonaws.com", "//ls.amazonaws.com/", "https://user@ls.amazonaws.com/", "https:///"])
    func plainHTTPEndpointRefused(_ address: String) {
        #expect(throws: LicenseServiceEndpointError.self) { try LicenseServiceEndpoint(address) }
    }

    @Test("the default transport refuses an http:// request before any I/O")
    func plainHTTPRequestRefused() async throws {
        // Port 9 (discard) on loopback: if the policy let the request through, the answer would be a connect
        // error, not a refusal.
        let transport = CurlHTTPClient()
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:9", path: "/?Action=ActivateDesktopProduct")
        await #expect {
            _ = try await transport.send(request, body: nil, options: HTTPRequestOptions(connectTimeout: .seconds(2)))
        } throws: { error in
            guard case .invalidURL = error as? HTTPClientError else { return false }
            return true
        }
        #expect(transport.connectionsOpened == 0)
    }

    @Test("a skewed clock: S3 answers RequestTimeTooSkewed, which maps to a clock correction (never a reactivation)")
    func clockSkewAnsweredAndMapped() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration())
        defer { Task { await emulator.stop() } }
        let product = try await emulator.registerProduct()
        let issued = try await emulator.purchase(productCode: product.productCode)
        let transport = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let licenseService = DevPayLicenseService.LicenseServiceClient(
            endpoint: try LicenseServiceEndpoint(emulator.baseURL.absoluteString), transport: transport)
        let customer = try await licenseService.activateDesktopProduct(
            activationKey: issued.activationKey, productToken: product.productToken)
        let signing = SigningCredentials.devPay(
            accessKeyID: customer.accessKeyID, secretAccessKey: customer.secretAccessKey,
            userToken: customer.userToken.value, productToken: product.productToken)
        let endpoint = try S3Endpoint(url: emulator.baseURL.absoluteString)

        // This machine's clock runs an hour fast.
        let skewedNow: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) + 3_600 }
        let skewed = S3Client(configuration: .init(endpoint: endpoint, currentTime: skewedNow),
                              transport: transport, credentials: signing)
        var answer: S3ServiceError?
        do {
            _ = try await skewed.listBuckets()
        } catch let error as S3ServiceError {
            answer = error
        }
        let refusal = try #require(answer, "a request signed an hour ahead was accepted")
        #expect(refusal.code == "RequestTimeTooSkewed")
        #expect(S3ErrorResponse(code: refusal.code, status: refusal.status) == .correctClockSkewThenRetry)
        let serverTime = try #require(refusal.serverTime.flatMap(Self.parseISO8601), "no ServerTime in the answer")
        #expect(abs(serverTime.timeIntervalSinceNow) < 300)

        // The same request signed with the right time goes through: only the clock was wrong.
        let onTime = S3Client(configuration: .init(endpoint: endpoint), transport: transport, credentials: signing)
        _ = try await onTime.listBuckets()
    }

    @Test("through the lifecycle, a clock an hour fast is corrected from ServerTime and the request succeeds")
    func clockSkewCorrectedByTheLifecycle() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration())
        defer { Task { await emulator.stop() } }
        let product = try await emulator.registerProduct()
        let issued = try await emulator.purchase(productCode: product.productCode)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-skew-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let transport = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let licenseService = DevPayLicenseService.LicenseServiceClient(
            endpoint: try LicenseServiceEndpoint(emulator.baseURL.absoluteString), transport: transport)
        let store = CredentialStore(location: CredentialStoreLocation(path: root), product: .productToken(product.productToken))
        // The app's wall clock (used to sign S3 requests) runs an hour fast.
        let lifecycle = await DevPayLifecycle(configuration: LifecycleConfiguration(
            productToken: try ProductToken(product.productToken), licenseService: LicenseServiceAdapter(client: licenseService),
            store: EncryptedCredentialStore(store: store), clock: ContinuousClock(),
            wallClock: { Date().addingTimeInterval(3_600) }))
        defer { Task { await lifecycle.shutDown() } }
        try await lifecycle.activate(key: issued.activationKey)
        for await state in await lifecycle.states where state == .subscribed { break }

        let s3 = lifecycle.s3Client(
            configuration: S3Client.Configuration(endpoint: try S3Endpoint(url: emulator.baseURL.absoluteString)),
            transport: transport)
        // The first attempt is refused as skewed; the gate learns the offset from ServerTime and signs again.
        let buckets = try await s3.perform { try await $0.listBuckets() }
        #expect(buckets.isEmpty)
        #expect(await lifecycle.state == .subscribed)
    }

    static func parseISO8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: text)
    }
}
