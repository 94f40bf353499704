import DevPayCredentialStore
import DevPayHTTP
import DevPayLicenseService
import DevPayRetry
import DevPayTestSupport
import DevPayStateMachineTesting
import Foundation
import Testing

/// A License Service that misbehaves on purpose, over real TLS on 127.0.0.1: each misbehaviour must end in
/// the expected typed error within the call timeout, with bounded memory, and with the store untouched.
@Suite("Hostile License Service over TLS", .serialized)
struct HostileLicenseServiceTests {
    /// Per attempt: 2 s to connect, 3 s in all. Per call, retries and backoff included: 8 s.
    static let attemptOptions = HTTPRequestOptions(
        connectTimeout: .seconds(2), totalTimeout: .seconds(3), maximumResponseBytes: 256 << 10)
    static let callTimeout = Duration.seconds(8)
    /// Scheduling slack on a loaded two-core machine on top of the call timeout; a sanitizer build (several
    /// times slower) gets more, since the bound is about the client's timeouts, not the sanitizer's speed.
    static let slack = Duration.seconds(SanitizerRun.isActive ? 15 : 3)
    /// What an exchange may add to the process's peak RSS: far below the 10 MiB a hostile body offers.
    static let memoryBound = 8 << 20

    static let activationKey = "ADMAY7DVLJTWHJ76MMBMQYT5LATA"
    static let productToken = "{ProductToken}AAAAVUhvc3RpbGVQcm9kdWN0VG9rZW4="

    enum Expected: Sendable {
        case timeout, tooLarge, unreadableAnswer, throttled, transfer, tls

        func matches(_ error: LicenseServiceError) -> Bool {
            switch (self, error) {
            case (.timeout, .transport(.timeout)), (.tooLarge, .transport(.responseTooLarge)),
                 (.unreadableAnswer, .unexpectedResponse), (.throttled, .throttled),
                 (.transfer, .transport(.transfer)), (.tls, .transport(.tls)):
                true
            default:
                false
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let mode: String
        let expected: Expected
        var testDescription: String { "\(mode) → \(expected)" }
    }

    static let misbehaviours: [Case] = [
        Case(mode: "slowloris", expected: .timeout),
        Case(mode: "slowheaders", expected: .timeout),
        Case(mode: "huge", expected: .tooLarge),
        Case(mode: "hugechunked", expected: .tooLarge),
        Case(mode: "bomb", expected: .unreadableAnswer),
        Case(mode: "quadratic", expected: .unreadableAnswer),
        Case(mode: "xxe", expected: .unreadableAnswer),
        Case(mode: "html", expected: .unreadableAnswer),
        Case(mode: "status503", expected: .throttled),
        Case(mode: "reset", expected: .transfer),
        Case(mode: "close", expected: .transfer),
    ]

    @Test("a hostile answer gives its typed error in time, bounded memory, and leaves the store as it was",
          arguments: misbehaviours)
    func hostileAnswer(_ misbehaviour: Case) async throws {
        let pki = try TestPKI.shared()
        let server = try await HostileLicenseService.start(leaf: pki.loopback)
        defer { Task { await server.stop() } }
        let outcome = try await Self.activateIntoStore(
            endpoint: server.endpoint(misbehaviour.mode), caFile: pki.caFile)

        #expect(misbehaviour.expected.matches(outcome.error), "got \(outcome.error)")
        #expect(outcome.elapsed < Self.callTimeout + Self.slack, "took \(outcome.elapsed)")
        if !SanitizerRun.isActive {  // a sanitizer's shadow memory grows the peak by itself (21 MB under TSan)
            #expect(outcome.peakGrowth < Self.memoryBound, "peak RSS grew by \(outcome.peakGrowth) bytes")
        }
        #expect(outcome.storeUnchanged)
        if misbehaviour.mode == "xxe" {
            let (canaryHits, _) = try await Self.stats(of: server, caFile: pki.caFile)
            #expect(canaryHits == 0, "the XML parser fetched an external entity")
        }
        print("hostile \(misbehaviour.mode): \(outcome.error) in \(outcome.elapsed), peak RSS +\(outcome.peakGrowth >> 10) KiB")
    }

    struct CertificateCase: Sendable, CustomTestStringConvertible {
        let name: String
        let leaf: @Sendable (TestPKI) -> TestPKI.Leaf
        let trusted: @Sendable (TestPKI) -> String
        var testDescription: String { name }
    }

    static let certificateCases: [CertificateCase] = [
        CertificateCase(name: "certificate from an untrusted CA", leaf: \.loopback, trusted: \.otherCAFile),
        CertificateCase(name: "expired certificate", leaf: \.expired, trusted: \.caFile),
        CertificateCase(name: "certificate for another host name", leaf: \.wrongHost, trusted: \.caFile),
    ]

    @Test("a server whose certificate must not be trusted is refused at the handshake", arguments: certificateCases)
    func untrustedCertificate(_ certificate: CertificateCase) async throws {
        let pki = try TestPKI.shared()
        let server = try await HostileLicenseService.start(leaf: certificate.leaf(pki))
        defer { Task { await server.stop() } }
        let outcome = try await Self.activateIntoStore(endpoint: server.endpoint("ok"), caFile: certificate.trusted(pki))
        #expect(Expected.tls.matches(outcome.error), "got \(outcome.error)")
        #expect(outcome.elapsed < Self.callTimeout + Self.slack)
        #expect(outcome.storeUnchanged)
        let (_, requests) = try await Self.stats(of: server, caFile: pki.caFile, allowingAnyLeaf: true)
        #expect(requests == 0, "a request reached a server the client should not have trusted")
    }

    @Test("the same server with a trusted certificate and a well-formed answer activates (control)")
    func control() async throws {
        let pki = try TestPKI.shared()
        let server = try await HostileLicenseService.start(leaf: pki.loopback)
        defer { Task { await server.stop() } }
        let client = Self.client(endpoint: server.endpoint("ok"), caFile: pki.caFile)
        let credentials = try await client.activateDesktopProduct(
            activationKey: Self.activationKey, productToken: Self.productToken)
        #expect(credentials.accessKeyID == "AKIAHOSTILE000000001")
    }

    // MARK: - The exchange under test

    struct Outcome {
        let error: LicenseServiceError
        let elapsed: Duration
        let peakGrowth: Int
        let storeUnchanged: Bool
    }

    static func client(endpoint: String, caFile: String) -> LicenseServiceClient {
        LicenseServiceClient(
            endpoint: try! LicenseServiceEndpoint(endpoint),
            transport: CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: caFile))),
            retryEngine: RetryEngine(policy: .standard),
            requestOptions: attemptOptions,
            callTimeout: callTimeout)
    }

    /// An app's activation step: ask the License Service, store what it answered. The store already holds a
    /// set; whatever the server does, a failure must leave every byte and mode of the store folder as it was.
    static func activateIntoStore(endpoint: String, caFile: String) async throws -> Outcome {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("devpay-adversarial-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = CredentialStore(location: CredentialStoreLocation(path: root),
                                    product: .productToken(productToken))
        _ = try await store.save(try CredentialSet(
            userToken: "{UserToken}AAAAUHJldmlvdXNTZXQ=", accessKeyID: "AKIAPREVIOUS00000001",
            secretAccessKey: "previousSecretAccessKey/0123456789abcdef", activatedAt: Date()))
        let before = try StoreSnapshot(of: root)

        let client = client(endpoint: endpoint, caFile: caFile)
        let peakBefore = PeakMemory.bytes
        let start = ContinuousClock.now
        let answer: Result<CustomerCredentials, LicenseServiceError>
        do throws(LicenseServiceError) {
            answer = .success(try await client.activateDesktopProduct(activationKey: activationKey, productToken: productToken))
        } catch {
            answer = .failure(error)
        }
        guard case .failure(let failure) = answer else {
            // What an app would do with an accepted answer, so a wrongly accepted one shows in the snapshot too.
            let credentials = try answer.get()
            _ = try await store.save(try CredentialSet(
                userToken: credentials.userToken.value, accessKeyID: credentials.accessKeyID,
                secretAccessKey: credentials.secretAccessKey, activatedAt: Date()))
            throw TestSetupError("the hostile server's answer was accepted and stored")
        }
        let elapsed = ContinuousClock.now - start
        let peakGrowth = PeakMemory.bytes - peakBefore
        let after = try StoreSnapshot(of: root)
        return Outcome(error: failure, elapsed: elapsed, peakGrowth: peakGrowth, storeUnchanged: before == after)
    }

    /// The server's own counters: external-entity fetches and requests received.
    static func stats(of server: HostileLicenseService, caFile: String, allowingAnyLeaf: Bool = false)
        async throws -> (canaryHits: Int, requests: Int) {
        let arguments = ["curl", "-s", allowingAnyLeaf ? "-k" : "--cacert", ] + (allowingAnyLeaf ? [] : [caFile])
            + ["https://127.0.0.1:\(server.port)/__stats"]
        let text = try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let numbers = text.split(separator: " ").compactMap { Int($0) }
        guard numbers.count == 2 else { throw TestSetupError("unexpected stats answer: \(text)") }
        // The stats request itself is counted.
        return (numbers[0], numbers[1] - 1)
    }
}
