import DevPayCredentialStore
import DevPayEmulator
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayRetry
import DevPayS3
import Foundation
import Logging
import Testing

/// Runs a whole session — a mistyped key, activation, verification, S3 writes and reads, an S3 error, a
/// forced user-token refresh — with every component logging at trace level into memory, then searches every
/// log line, every error and value description, and every byte of every file in the store folder for the
/// secrets: the Secret Access Key, each user token, the product token and the activation key. Zero hits.
///
/// The CLI demo (`devpay demo`) is not merged yet; this drives the same library path in-process, and the
/// CLI output scan is left for when it lands.
@Suite("Secrets scan")
struct SecretsScanTests {
    @Test("no secret in clear in trace logs, error descriptions, value descriptions or store files")
    func secretsNeverInClear() async throws {
        let sink = CapturingLogHandler.Lines()
        func logger(_ label: String) -> Logger { CapturingLogHandler.logger(label, into: sink) }
        let emulator = try await EmulatorServer.start(EmulatorConfiguration())
        defer { Task { await emulator.stop() } }
        let product = try await emulator.registerProduct()
        let issued = try await emulator.purchase(productCode: product.productCode)

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-secrets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let transport = CurlHTTPClient(configuration: .init(
            trustRoots: .caFile(path: emulator.caCertificateFile.path), logger: logger("devpay.http")))
        let client = DevPayLicenseService.LicenseServiceClient(
            endpoint: try LicenseServiceEndpoint(emulator.baseURL.absoluteString), transport: transport,
            retryEngine: RetryEngine(policy: .standard, clock: ContinuousClock(), logger: logger("devpay.retry.ls")),
            logger: logger("devpay.license-service"))
        let store = CredentialStore(location: CredentialStoreLocation(path: root),
                                    product: .productToken(product.productToken), logger: logger("devpay.store"))
        let lifecycle = await DevPayLifecycle(configuration: LifecycleConfiguration(
            productToken: product.productToken, licenseService: WireLicenseService(client: client),
            store: EncryptedStoreAdapter(store: store), clock: ContinuousClock()))
        await waitUntilRestored(lifecycle)
        let s3Endpoint = try S3Endpoint(url: emulator.baseURL.absoluteString)
        let s3Retry = RetryEngine(policy: .standard, clock: ContinuousClock(), logger: logger("devpay.retry.s3"))
        var texts: [String] = []
        var userTokens: [String] = []

        // A mistyped key (valid shape, unknown to the service) and a malformed one.
        for wrongKey in ["AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not a key!"] {
            do {
                _ = try await lifecycle.activate(key: wrongKey)
                Issue.record("a wrong activation key activated")
            } catch {
                texts += ["\(error)", String(reflecting: error)]
            }
        }
        texts.append("\(try await lifecycle.activate(key: issued.activationKey))")
        texts.append("\(try await lifecycle.verifySubscription())")

        // S3 through the lifecycle's gate; an S3 error answer is handed back as the gate expects.
        @Sendable func s3Call<T: Sendable>(_ body: @escaping @Sendable (S3Client) async throws -> T) async throws -> T {
            try await lifecycle.withS3Credentials { credentials in
                let s3 = S3Client(configuration: .init(endpoint: s3Endpoint, retry: s3Retry),
                                  transport: transport, credentials: credentials.signing)
                do {
                    return try await body(s3)
                } catch let answer as S3ServiceError {
                    throw S3ErrorAnswer(code: answer.code, status: answer.status)
                }
            }
        }
        try await s3Call { try await $0.createBucket("secrets-scan") }
        _ = try await s3Call { try await $0.putObject(bucket: "secrets-scan", key: "a.txt", bytes: Array("hi".utf8), contentType: "text/plain") }
        let first = try await store.load().stored
        userTokens.append(try #require(first).credentials.userToken.revealed())
        do {
            _ = try await s3Call { try await $0.getObject(bucket: "secrets-scan", key: "missing", maximumBytes: 1024) }
            Issue.record("a missing object was read")
        } catch {
            texts += ["\(error)", String(reflecting: error)]
        }
        // S3 now answers TokenRefreshRequired: the gate refreshes the user token and retries once.
        _ = try await emulator.requireTokenRefresh(customerID: issued.customerID)
        _ = try await s3Call { try await $0.getObject(bucket: "secrets-scan", key: "a.txt", maximumBytes: 1024) }
        let last = try await store.load().stored
        let stored = try #require(last)
        userTokens.append(stored.credentials.userToken.revealed())
        texts += ["\(stored)", String(reflecting: stored), "\(await lifecycle.state)"]
        await lifecycle.shutDown()

        let secrets = [stored.credentials.secretAccessKey.revealed(), product.productToken, issued.activationKey] + userTokens
        #expect(userTokens.count == 2 && userTokens[0] != userTokens[1], "the user token was not refreshed")
        // Each secret whole, and without its `{UserToken}` / `{ProductToken}` prefix.
        let needles = Set(secrets.flatMap { secret in
            [secret, secret.replacingOccurrences(of: "{UserToken}", with: "").replacingOccurrences(of: "{ProductToken}", with: "")]
        }.filter { $0.count >= 16 })

        let lines = sink.all
        var files: [String: Data] = [:]
        for case let relative as String in FileManager.default.enumerator(atPath: root)! {
            if let data = FileManager.default.contents(atPath: root + "/" + relative) { files[relative] = data }
        }
        var hits: [String] = []
        for needle in needles {
            hits += lines.filter { $0.contains(needle) }.map { "log: \($0.prefix(120))" }
            hits += texts.filter { $0.contains(needle) }.map { "text: \($0.prefix(120))" }
            hits += files.filter { $0.value.range(of: Data(needle.utf8)) != nil }.map { "file: \($0.key)" }
        }
        print("secrets scan: \(needles.count) secrets × (\(lines.count) log lines, \(texts.count) descriptions, "
              + "\(files.count) store files): \(hits.count) hits")
        #expect(lines.count > 20, "trace logging captured too little to mean anything")
        #expect(hits.isEmpty, "secrets in clear: \(hits.prefix(5))")
    }
}
