import DevPayHTTP
import DevPayRetry
import DevPayS3
import DevPaySigning
import DevPayHTTPTesting
import HTTPTypes
import Testing

@Suite("S3 client retries")
struct S3ClientRetryTests {
    /// Standard semantics with no waiting, so the test pins the attempts, not the clock.
    static let immediate = StandardRetryPolicy(throttlingBaseDelay: .zero, transientBaseDelay: .zero)

    func client(_ transport: ScriptedHTTPTransport) throws -> S3Client {
        let configuration = S3Client.Configuration(
            endpoint: try S3Endpoint(url: "https://127.0.0.1:8443"),
            currentTime: { 1_700_000_000 },
            retry: RetryEngine(policy: Self.immediate, clock: ContinuousClock())
        )
        return S3Client(
            configuration: configuration, transport: transport,
            credentials: SigningCredentials(accessKeyID: "AKID", secretAccessKey: "secret")
        )
    }

    @Test("503 SlowDown is retried, each attempt signed anew, and the third answer wins")
    func throttlingRetried() async throws {
        let slowDown = ScriptedHTTPTransport.Answer(
            .serviceUnavailable, headers: [(.retryAfter, "0")], body: "<Error><Code>SlowDown</Code></Error>"
        )
        let transport = ScriptedHTTPTransport([slowDown, slowDown, .init(body: "payload")])
        let bytes = try await client(transport).getObject(bucket: "photos", key: "a.txt")
        #expect(bytes == Array("payload".utf8))
        #expect(transport.sent.count == 3)
    }

    @Test("a streamed download is retried only before the body reaches the caller")
    func streamRetriedBeforeBody() async throws {
        struct Stop: Error, Equatable {}
        let transport = ScriptedHTTPTransport([
            .init(.internalServerError, body: "<Error><Code>InternalError</Code></Error>"),
            .init(body: "abcdef"), .init(body: "never"),
        ])
        let s3 = try client(transport)
        await #expect(throws: Stop()) {
            try await s3.getObject(bucket: "photos", key: "a.txt") { _, body in
                for try await _ in body { throw Stop() }
            }
        }
        #expect(transport.sent.count == 2)
    }

    @Test("access errors are not retried: the lifecycle decides")
    func accessDeniedNotRetried() async throws {
        let transport = ScriptedHTTPTransport([.init(.forbidden, body: "<Error><Code>AccessDenied</Code></Error>"), .init()])
        await #expect(throws: S3ServiceError(status: 403, code: "AccessDenied")) {
            _ = try await client(transport).listBuckets()
        }
        #expect(transport.sent.count == 1)
    }
}
