import DevPayHTTP
import DevPayKit
import DevPayRetry
import DevPayS3
import DevPayStateMachineTesting
import DevPayHTTPTesting
import HTTPTypes
import Testing

@Suite("S3 through the lifecycle's gate")
struct DevPayS3ClientTests {
    func subscribed() async throws -> LifecycleHarness {
        let harness = await LifecycleHarness()
        await harness.waitFor(.unactivated)
        await harness.service.setSubscribed(true)
        try await harness.lifecycle.activate(key: Fixtures.key.value)
        await harness.waitFor(.subscribed)
        return harness
    }

    func s3(_ harness: LifecycleHarness, _ transport: ScriptedHTTPTransport) throws -> DevPayS3Client<ManualClock> {
        let configuration = S3Client.Configuration(
            endpoint: try S3Endpoint(url: "https://127.0.0.1:8443"),
            retry: RetryEngine(policy: StandardRetryPolicy(throttlingBaseDelay: .zero, transientBaseDelay: .zero), clock: ContinuousClock())
        )
        return harness.lifecycle.s3Client(configuration: configuration, transport: transport)
    }

    @Test("requests are signed with the stored set and both DevPay tokens")
    func signsWithTheSet() async throws {
        let harness = try await subscribed()
        let transport = ScriptedHTTPTransport([.init(body: "<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>")])
        #expect(try await s3(harness, transport).perform { try await $0.listBuckets() }.isEmpty)
        let request = try #require(transport.sent.first?.request)
        // The guide's form: two x-amz-security-token fields, user token first.
        let tokens = request.headerFields[values: HTTPField.Name("x-amz-security-token")!]
        #expect(tokens == [Fixtures.credentials(1).userToken, Fixtures.productToken.value])
        #expect(request.headerFields[.authorization]?.contains("Credential=\(Fixtures.credentials(1).accessKeyID)/") == true)
    }

    @Test("an ExpiredToken answer moves the lifecycle to expiredNeedsReactivation and reaches the caller")
    func expiredTokenReactivates() async throws {
        let harness = try await subscribed()
        let transport = ScriptedHTTPTransport([.init(.badRequest, body: "<Error><Code>ExpiredToken</Code></Error>")])
        await #expect(throws: DevPayLifecycleError.s3(S3ErrorAnswer(code: "ExpiredToken", status: 400))) {
            _ = try await s3(harness, transport).perform { try await $0.listBuckets() }
        }
        await harness.waitFor("expired") { $0.name == .expiredNeedsReactivation }
        #expect(await harness.store.stored == Fixtures.credentials(1))
    }

    @Test("throttling that outlasts the client's retries is reported as is and leaves the lifecycle subscribed")
    func throttlingPassesThrough() async throws {
        let harness = try await subscribed()
        let slowDown = ScriptedHTTPTransport.Answer(.serviceUnavailable, body: "<Error><Code>SlowDown</Code></Error>")
        let transport = ScriptedHTTPTransport([slowDown, slowDown, slowDown, .init()])
        await #expect(throws: S3ServiceError(status: 503, code: "SlowDown")) {
            _ = try await s3(harness, transport).perform { try await $0.listBuckets() }
        }
        #expect(transport.sent.count == 3)
        #expect(await harness.lifecycle.state == .subscribed)
    }
}
