import DevPayHTTP
import DevPayRetry
import DevPayTestSupport
import HTTPTypes
import Testing

/// docs/retry.md's transport table, row by row, against real peers on loopback: what libcurl meets becomes a
/// typed error that names the cause, and its retry class says whether sending again could change it.
@Suite("Transport failures: typed by cause, classified by what a retry can change")
struct FailureClassificationTests {
    struct CertificateRow: Sendable, CustomTestStringConvertible {
        let name: String
        let leaf: @Sendable (TestPKI) -> TestPKI.Leaf
        let trusted: @Sendable (TestPKI) -> String
        let reason: TLSFailure.Reason
        var testDescription: String { name }
    }

    static let certificateRows: [CertificateRow] = [
        CertificateRow(name: "untrusted CA", leaf: \.loopback, trusted: \.otherCAFile, reason: .untrustedCertificate),
        CertificateRow(name: "expired certificate", leaf: \.expired, trusted: \.caFile, reason: .expiredCertificate),
        CertificateRow(name: "certificate for another host", leaf: \.wrongHost, trusted: \.caFile, reason: .hostnameMismatch),
    ]

    @Test("a certificate that fails verification is a permanent TLS error naming why", arguments: certificateRows)
    func certificate(_ row: CertificateRow) async throws {
        let pki = try TestPKI.shared()
        try await withPeer(try await TestServer.start(leaf: row.leaf(pki))) { server in
            let client = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: row.trusted(pki))))
            let error = try await Self.failure(of: client, server.request("/hello"))
            guard case .tls(let failure) = error else {
                Issue.record("expected a TLS failure, got \(error)")
                return
            }
            #expect(failure.reason == row.reason, "\(failure)")
            #expect(error.retryClassification == .permanent)
            #expect(!error.isTransient)
            #expect(error.description.hasPrefix("TLS: \(failure.summary)"))
        }
    }

    @Test("a CA file that cannot be read is a permanent TLS error about the trust roots")
    func unreadableCAFile() async throws {
        try await withServer { server in
            let client = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: "/nonexistent/devpay-ca.pem")))
            let error = try await Self.failure(of: client, server.request("/hello"))
            #expect(error == .tls(TLSFailure(.trustRootsUnusable, detail: Self.detail(error))))
            #expect(error.retryClassification == .permanent)
        }
    }

    @Test("plain http:// to an HTTPS-only client is refused before any I/O, permanently")
    func plainHTTPRefused() async throws {
        let client = try makeClient(schemePolicy: .httpsOnly)
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:9", path: "/")
        let error = try await Self.failure(of: client, request)
        guard case .invalidURL = error else {
            Issue.record("expected invalidURL, got \(error)")
            return
        }
        #expect(error.retryClassification == .permanent)
    }

    @Test("a closed port is a transient connect failure that says the connection was refused")
    func closedPort() async throws {
        let listener = try SilentListener()
        let port = listener.port
        listener.close()
        let client = try makeClient()
        let request = HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(port)", path: "/")
        let error = try await Self.failure(of: client, request)
        guard case .connect(let reason) = error else {
            Issue.record("expected a connect failure, got \(error)")
            return
        }
        #expect(reason.hasPrefix("Connection refused"), "\(reason)")
        #expect(error.retryClassification == .transient)
    }

    @Test("a name that does not resolve is a transient name-resolution failure naming the host")
    func nameResolution() async throws {
        let client = try makeClient()
        let request = HTTPRequest(method: .get, scheme: "https", authority: "devpay-test.invalid", path: "/")
        let error = try await Self.failure(of: client, request)
        #expect(error == .nameResolution(host: "devpay-test.invalid"))
        #expect(error.retryClassification == .transient)
        #expect(error.description.contains("devpay-test.invalid"))
    }

    @Test("a server that never answers ends in a timeout, transient and priced as one")
    func timeout() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let client = try makeClient()
        let request = HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(listener.port)", path: "/")
        let error = try await Self.failure(
            of: client, request, options: HTTPRequestOptions(connectTimeout: .milliseconds(300), totalTimeout: .milliseconds(500)))
        #expect(error == .timeout)
        #expect(error.retryClassification == .timeout)
    }

    static func failure(
        of client: CurlHTTPClient, _ request: HTTPRequest, options: HTTPRequestOptions = .init()
    ) async throws -> HTTPClientError {
        do {
            _ = try await client.send(request, body: nil, options: options)
        } catch let error as HTTPClientError {
            return error
        }
        throw TestSetupError("the request succeeded")
    }

    static func detail(_ error: HTTPClientError) -> String {
        if case .tls(let failure) = error { failure.detail } else { "" }
    }
}
