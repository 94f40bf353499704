import DevPayCredentialStore
import DevPayEmulator
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayRetry
import DevPayS3
import DevPayTestSupport
import DevPayLoggingTesting
import Foundation
import Logging
import Testing

/// Runs a whole session — a mistyped key, activation, verification, S3 writes and reads, an S3 error, a
/// forced user-token refresh — with every component logging at trace level into memory, then searches every
/// log line, every error and value description, and every byte of every file in the store folder for the
/// secrets: the Secret Access Key, each user token, the product token and the activation key. Zero hits.
@Suite("Secrets scan")
struct SecretsScanTests {
    @Test("no secret in clear in trace logs, error descriptions, value descriptions or store files")
    func secretsNeverInClear() async throws {
        let logs = CapturedLogs()
        func logger(_ label: String) -> Logger { logs.logger(label: label) }
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
            productToken: try ProductToken(product.productToken), licenseService: LicenseServiceAdapter(client: client),
            store: EncryptedCredentialStore(store: store), clock: ContinuousClock()))
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

        let lines = logs.lines
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

    /// `devpay demo` keeps its secrets inside its own process (an in-process emulator), so its output and
    /// store are searched for anything shaped like one: a `{UserToken}`/`{ProductToken}` followed by token
    /// characters (the redacted form is the prefix, "…" and a length), an emulator Secret Access Key (40
    /// base64 characters with upper case, lower case and digits — hex digests have no upper case), or an
    /// activation key (28 characters of A–Z and 2–7).
    @Test("devpay demo at trace level: no token, secret key or activation key shape in its output or store")
    func demoOutputHoldsNoSecretShapes() async throws {
        let executable = Self.devpayExecutable()
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build devpay: swift build")
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-demo-scan-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: store) }
        let (status, output) = try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["demo", "--vetting-seconds", "2", "--token-lifetime", "4", "--log-level", "trace",
                                 "--store", store]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(status == 0, "devpay demo failed: \(output.suffix(400))")
        var files: [String: String] = [:]
        for case let relative as String in FileManager.default.enumerator(atPath: store)! {
            if let data = FileManager.default.contents(atPath: store + "/" + relative) {
                files[relative] = String(decoding: data, as: UTF8.self)
            }
        }
        let lines = output.split(separator: "\n").map(String.init)
        let patterns = [
            #"\{(User|Product)Token\}[A-Za-z0-9+/=]"#,
            #"(?<![A-Za-z0-9+/])(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[0-9])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/])"#,
            #"(?<![A-Z0-9])[A-Z2-7]{28}(?![A-Z0-9])"#,
        ].map { try! NSRegularExpression(pattern: $0) }
        func matches(_ text: String) -> Bool {
            patterns.contains { $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
        }
        let hits = lines.filter(matches).map { "output: \($0.prefix(160))" }
            + files.filter { matches($0.value) }.map { "file: \($0.key)" }
        print("demo scan: \(lines.count) output lines (trace), \(files.count) store files: \(hits.count) hits")
        #expect(lines.count > 20, "the demo logged too little for the scan to mean anything")
        #expect(hits.isEmpty, "secret-shaped strings: \(hits.prefix(5))")
    }

    static func devpayExecutable() -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("devpay").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("devpay").path
    }
}
