import DevPayCredentialStore
import DevPayEmulator
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayRetry
import DevPayS3
import DevPaySigning
import Foundation

/// The steps of `devpay demo`, each printed as it happens.
struct DemoStory {
    let emulator: EmulatorServer
    let vetting: Int
    let tokenLifetime: Int
    let signatureVersion: S3SignatureVersion
    let storeFolder: URL
    let removeStore: Bool
    let transport: CurlHTTPClient
    let started = ContinuousClock.now

    /// A step the demo expected to go otherwise.
    struct Unexpected: Error, CustomStringConvertible { var description: String }

    init(vetting: Int, tokenLifetime: Int, signatureVersion: S3SignatureVersion, storeFolder: String?) async throws {
        self.vetting = vetting
        self.tokenLifetime = tokenLifetime
        self.signatureVersion = signatureVersion
        if let storeFolder {
            self.storeFolder = URL(fileURLWithPath: storeFolder, isDirectory: true)
            removeStore = false
        } else {
            self.storeFolder = FileManager.default.temporaryDirectory
                .appendingPathComponent("devpay-demo-\(UUID().uuidString)", isDirectory: true)
            removeStore = true
        }
        emulator = try await EmulatorServer.start(EmulatorConfiguration())
        transport = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
    }

    func finish() async {
        await emulator.stop()
        if removeStore { try? FileManager.default.removeItem(at: storeFolder) }
    }

    func say(_ text: String) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        FileHandle.standardOutput.write(Data((String(format: "[%5.1fs] ", seconds) + text + "\n").utf8))
    }

    func run() async throws {
        say("1. Emulator (License Service + S3) at \(emulator.baseURL.absoluteString), CA \(emulator.caCertificateFile.path)")
        let product = try await emulator.registerProduct(productCode: nil, productToken: nil)
        say("2. Registered product \(product.productCode) (product token: \(product.productToken.count) characters, not shown)")
        let purchase = try await emulator.purchase(
            productCode: product.productCode, customerID: nil, scenario: .subscribedAfter(seconds: vetting))
        say("3. Customer \(purchase.customerID) bought it; card vetting takes \(vetting) s. Activation key: "
            + "\(purchase.activationKey.count) characters, valid until \(purchase.expiresAt.formatted(.iso8601))")

        let lifecycle = try await makeLifecycle(productToken: product.productToken)
        let printer = TransitionPrinter(json: false, indent: "         ")
        let following = await printer.follow(lifecycle)
        defer { following.cancel() }
        say("4. App launched: \(await lifecycle.settledState().phrase). Activating with the key (TokenExpiration \(tokenLifetime) s):")
        try await lifecycle.activate(key: purchase.activationKey)
        let subscribed = await lifecycle.waitForState(timeout: .seconds(vetting + 20)) { $0 == .subscribed }
        guard subscribed == .subscribed else { throw Unexpected(description: "not subscribed after vetting: \(subscribed.phrase)") }
        say("5. Subscribed. S3 requests (\(signatureVersion), user + product tokens in x-amz-security-token):")

        let bucket = "devpay-demo-\(product.productCode.lowercased())"
        let key = "notes/hello.txt"
        let payload = Array("Hello from a DevPay desktop product.\n".utf8)
        let access = lifecycle.s3Client(configuration: try s3Configuration(), transport: transport)
        try await access.run { client in try await client.createBucket(bucket) }
        say("   created bucket \(bucket)")
        let eTag = try await access.run { client in try await client.putObject(bucket: bucket, key: key, bytes: payload) }
        say("   uploaded \(key) (\(payload.count) bytes, ETag \(eTag ?? "none"))")
        let listed = try await access.run { client in try await client.listObjects(bucket: bucket) }
        say("   listed: " + listed.objects.map { "\($0.key) (\($0.size) bytes)" }.joined(separator: ", "))
        let downloaded = try await access.run { client in try await client.getObject(bucket: bucket, key: key) }
        guard downloaded == payload else { throw Unexpected(description: "the downloaded object differs from the upload") }
        say("   downloaded \(key): \"\(String(decoding: downloaded, as: UTF8.self).trimmingCharacters(in: .newlines))\" (matches)")

        say("6. Waiting for the user token to expire (TokenExpiration \(tokenLifetime) s)…")
        let expired = await lifecycle.waitForState(timeout: .seconds(tokenLifetime + 20)) { $0.name == .expiredNeedsReactivation }
        guard expired.name == .expiredNeedsReactivation else { throw Unexpected(description: "the token did not expire: \(expired.phrase)") }
        do {
            _ = try await access.run { client in try await client.listBuckets() }
            throw Unexpected(description: "S3 was used with an expired token")
        } catch DevPayLifecycleError.notSubscribed {
            say("   the app now refuses S3 requests by itself (no request sent)")
        }

        let fresh = try await emulator.issueActivationKey(customerID: purchase.customerID, productCode: product.productCode)
        say("7. The customer got a fresh activation key (\(fresh.activationKey.count) characters); reactivating:")
        try await lifecycle.reactivate(key: fresh.activationKey)
        let again = await lifecycle.waitForState(timeout: .seconds(20)) { $0 == .subscribed }
        guard again == .subscribed else { throw Unexpected(description: "not subscribed after reactivation: \(again.phrase)") }
        let relisted = try await access.run { client in try await client.listObjects(bucket: bucket) }
        guard relisted.objects.map(\.key) == [key] else { throw Unexpected(description: "the object is gone after reactivation") }
        say("8. Subscribed again with a new credential set; S3 still lists \(key). Demo complete.")
        await lifecycle.shutDown()
    }

    private func makeLifecycle(productToken text: String) async throws -> DevPayLifecycle<ContinuousClock> {
        let productToken = try ProductToken(text)
        let endpoint = try LicenseServiceEndpoint(emulator.baseURL.absoluteString)
        let client = LicenseServiceClient(endpoint: endpoint, transport: transport, retryEngine: RetryEngine(policy: .standard))
        let store = CredentialStore(location: CredentialStoreLocation(path: storeFolder.path), product: .product(productToken))
        return await DevPayLifecycle(configuration: LifecycleConfiguration(
            productToken: productToken,
            licenseService: LicenseServiceAdapter(client: client),
            store: EncryptedCredentialStore(store: store),
            clock: ContinuousClock(),
            polling: PollingSchedule(every: .seconds(1), for: .seconds(60)),
            tokenExpiration: .seconds(tokenLifetime)))
    }

    private func s3Configuration() throws -> S3Client.Configuration {
        S3Client.Configuration(
            endpoint: try S3Endpoint(url: emulator.baseURL.absoluteString),
            signatureVersion: signatureVersion)
    }
}
