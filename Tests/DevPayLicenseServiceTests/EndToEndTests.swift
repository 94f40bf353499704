import DevPayHTTP
import DevPayLicenseService
import DevPayRetry
import DevPayTestSupport
import DevPayStateMachine
import DevPayStateMachineTesting
import Foundation
import Testing

/// The client over real HTTPS on 127.0.0.1 (libcurl, TLS verified against a CA made for this run) against a
/// scripted License Service written in Python. Retry waits run on a manual clock: no real waiting.
@Suite("License Service end to end over HTTPS on loopback", .serialized)
struct EndToEndTests {
    static let productToken = "{ProductToken}YLFRL3e4lOHTgGSQa8BOKA+/x=="
    static let accessKeyID = "AKIADEVPAYCUSTOMER01"
    static let secret = "dEvPaYcUsToMeRsEcReT/kEy+0123456789EXAMPLE"

    static func body(_ file: String) -> String { LicenseServiceClientTests.body(file) }

    static func client(_ stub: LicenseServiceStub, clock: ManualClock, trusting: Bool = true) throws -> LicenseServiceClient {
        let caFile = try TestPKI.shared().caFile
        return LicenseServiceClient(
            endpoint: try LicenseServiceEndpoint(stub.endpoint),
            transport: CurlHTTPClient(configuration: .init(trustRoots: trusting ? .caFile(path: caFile) : .system)),
            retryEngine: RetryEngine(policy: .standard, clock: clock, randomNumberGenerator: SeededRandomNumberGenerator(seed: 11)),
            secondsSince1970: { 1_764_472_447 + clock.now.offset.components.seconds },
            requestOptions: HTTPRequestOptions(connectTimeout: .seconds(5), totalTimeout: .seconds(20), maximumResponseBytes: 256 << 10)
        )
    }

    static func credentials(secret: String = secret) throws -> CustomerCredentials {
        try CustomerCredentials(
            userToken: UserToken("{UserToken}AAAHVXNlclRrbgfOpSykBAXO7g/zG+7r5dNtYuQ2XFz0pB0cUqQa9z4kS1mEXAMPLE8s+fL9bVq3mXo/Tq=="),
            accessKeyID: accessKeyID,
            secretAccessKey: secret
        )
    }

    @Test("activation with the guide's own sample answer, and the stub sees exactly the documented parameters")
    func activation() async throws {
        let stub = try await LicenseServiceStub.start(steps: [.init(status: 200, body: Self.body("activate-guide-sample.xml"))])
        let client = try Self.client(stub, clock: ManualClock())
        let credentials = try await client.activateDesktopProduct(activationKey: "admay7dvljtwhj76mmbmqexample", productToken: Self.productToken)
        #expect(credentials.accessKeyID == "AKIAIOSFODNN7EXAMPLE")
        #expect(credentials.secretAccessKey == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let received = try await stub.receivedRequests()
        #expect(received.count == 1)
        #expect(received.first?.params == [
            "Action": "ActivateDesktopProduct", "ActivationKey": "ADMAY7DVLJTWHJ76MMBMQEXAMPLE",
            "ProductToken": Self.productToken, "Version": "2008-04-28",
        ])
        await stub.stop()
    }

    @Test("two bare 503s without Retry-After are retried after the engine's own backoff, then the answer is used")
    func throttlingWithoutRetryAfter() async throws {
        let stub = try await LicenseServiceStub.start(steps: [
            .init(status: 503), .init(status: 503, body: "<html><body>Service Unavailable</body></html>"),
            .init(status: 200, body: Self.body("activate-success-2008.xml")),
        ])
        let clock = ManualClock()
        let client = try Self.client(stub, clock: clock)
        let call = Task { try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken) }
        for attempt in 1...2 {
            try #require(await clock.sleeperArrives())
            let wait = clock.now.duration(to: try #require(clock.nextDeadline))
            #expect(wait <= .seconds(1 << (attempt - 1)), "full-jitter throttling backoff, attempt \(attempt)")
            clock.advance(by: wait)
        }
        #expect(try await call.value.accessKeyID == "AKIADEVPAYCUSTOMER01")
        #expect(try await stub.receivedRequests().count == 3)
        await stub.stop()
    }

    @Test("503s with Retry-After in seconds and as an HTTP-date set the waits exactly")
    func throttlingWithRetryAfter() async throws {
        let stub = try await LicenseServiceStub.start(steps: [
            .init(status: 503, headers: ["Retry-After": "3"]),
            .init(status: 503, headers: ["Retry-After": "Sun, 30 Nov 2025 03:14:11 GMT", "Date": "Sun, 30 Nov 2025 03:14:07 GMT"],
                  body: Self.body("error-service-unavailable-2007.xml")),
            .init(status: 200, body: Self.body("verify-subscribed-2008.xml")),
        ], secrets: [Self.accessKeyID: Self.secret])
        let clock = ManualClock()
        let client = try Self.client(stub, clock: clock)
        let credentials = try Self.credentials()
        let call = Task { try await client.verifyProductSubscription(credentials: credentials, productToken: ProductToken(Self.productToken)) }
        try #require(await clock.sleeperArrives())
        #expect(clock.now.duration(to: try #require(clock.nextDeadline)) == .seconds(3))
        clock.advance(by: .seconds(3))
        try #require(await clock.sleeperArrives())
        #expect(clock.now.duration(to: try #require(clock.nextDeadline)) == .seconds(4))
        clock.advance(by: .seconds(4))
        #expect(try await call.value == true)
        // Every attempt was signed again at the then-current time, and the stub's own HMAC accepted each one.
        let timestamps = try await stub.receivedRequests().map { $0.params["Timestamp"] }
        #expect(timestamps == ["2025-11-30T03:14:07Z", "2025-11-30T03:14:10Z", "2025-11-30T03:14:14Z"])
        await stub.stop()
    }

    @Test("throttling that never ends gives up after the policy's attempts with a retry-later action")
    func throttlingGivesUp() async throws {
        let stub = try await LicenseServiceStub.start(steps: Array(repeating: .init(status: 503, headers: ["Retry-After": "1"]), count: 5))
        let clock = ManualClock()
        let client = try Self.client(stub, clock: clock)
        let call = Task { () async throws(LicenseServiceError) -> CustomerCredentials in
            try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken)
        }
        for _ in 1...2 {
            try #require(await clock.sleeperArrives())
            clock.advance(to: try #require(clock.nextDeadline))
        }
        let result = await call.result
        #expect(throws: LicenseServiceError.throttled(httpStatus: 503, retryAfter: .seconds(1))) { try result.get() }
        #expect(try await stub.receivedRequests().count == 3)
        await stub.stop()
    }

    @Test("signed calls pass an independent SigV1 check; a wrong secret is refused and asks to reactivate")
    func signedCalls() async throws {
        let stub = try await LicenseServiceStub.start(
            steps: [.init(status: 200, body: Self.body("refresh-success-2007.xml"))],
            secrets: [Self.accessKeyID: Self.secret]
        )
        let client = try Self.client(stub, clock: ManualClock())
        let token = try ProductToken(Self.productToken)
        let refreshed = try await client.refreshUserToken(credentials: Self.credentials(), productToken: token)
        #expect(refreshed.userToken.value.hasPrefix("{UserToken}AAAHVXNlclRrbgfNEWTOKENafterREFRESH"))
        await #expect {
            try await client.verifyProductSubscription(credentials: Self.credentials(secret: "not-the-secret"), productToken: token)
        } throws: { error in
            let error = error as? LicenseServiceError
            return error?.codes == [.signatureDoesNotMatch]
                && error?.requiredAction == .reactivate(activateURL: "http://www.amazon.com/dp-activate")
        }
        let received = try await stub.receivedRequests()
        #expect(received.count == 2)
        #expect(received.first?.params["AdditionalTokens"] == Self.productToken)
        await stub.stop()
    }

    @Test("a documented error over the wire keeps its code, party, request id and action")
    func errorOverTheWire() async throws {
        let stub = try await LicenseServiceStub.start(steps: [.init(status: 400, body: Self.body("error-incorrect-activation-key-2008.xml"))])
        let client = try Self.client(stub, clock: ManualClock())
        do {
            _ = try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken)
            Issue.record("an error answer was taken for success")
        } catch {
            guard case .service(let response) = error else { Issue.record("\(error)"); return }
            #expect(response.primary.code == .incorrectActivationKey)
            #expect(response.primary.party == .sender)
            #expect(response.requestID == "e0000002-incorrect")
            #expect(response.httpStatus == 400)
            #expect(error.requiredAction == .getNewActivationKey(activateURL: "http://www.amazon.com/dp-activate"))
        }
        await stub.stop()
    }

    @Test("a server whose certificate is not trusted is refused at the handshake and not retried")
    func untrustedCertificate() async throws {
        let stub = try await LicenseServiceStub.start(steps: [.init(status: 200, body: Self.body("activate-success-2008.xml"))])
        let client = try Self.client(stub, clock: ManualClock(), trusting: false)
        await #expect {
            try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken)
        } throws: { error in
            guard case .transport(.tls) = error as? LicenseServiceError else { return false }
            return true
        }
        #expect(try await stub.receivedRequests().isEmpty)
        await stub.stop()
    }
}
