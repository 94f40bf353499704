import DevPayHTTP
import DevPayLicenseService
import DevPayRetry
import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayHTTPTesting
import Foundation
import Testing

@Suite("License Service client over a scripted transport")
struct LicenseServiceClientTests {
    static let productToken = "{ProductToken}YLFRL3e4lOHTgGSQa8BOKA+/x=="
    static let startOfTest: Int64 = 1_764_472_447 // 2025-11-30T03:14:07Z

    static func body(_ file: String) -> String {
        String(decoding: try! Data(contentsOf: RecordedCase.folder.appendingPathComponent(file)), as: UTF8.self)
    }

    static func credentials() throws -> CustomerCredentials {
        try CustomerCredentials(
            userToken: UserToken("{UserToken}AAAHVXNlclRrbgfOpSykBAXO7g/zG+7r5dNtYuQ2XFz0pB0cUqQa9z4kS1mEXAMPLE8s+fL9bVq3mXo/Tq=="),
            accessKeyID: "AKIADEVPAYCUSTOMER01",
            secretAccessKey: "dEvPaYcUsToMeRsEcReT/kEy+0123456789EXAMPLE"
        )
    }

    /// A client whose retry waits and wall clock both run on `clock`.
    static func client(_ transport: ScriptedHTTPTransport, clock: ManualClock, policy: some RetryPolicy = .standard) -> LicenseServiceClient {
        LicenseServiceClient(
            transport: transport,
            retryEngine: RetryEngine(policy: policy, clock: clock, randomNumberGenerator: SeededRandomNumberGenerator(seed: 7)),
            secondsSince1970: { startOfTest + clock.now.offset.components.seconds },
            callTimeout: .seconds(120)
        )
    }

    @Test("activation sends one unsigned GET and returns the set as one value")
    func activation() async throws {
        let transport = ScriptedHTTPTransport([.answer(status: 200, body: Self.body("activate-success-2008.xml"))])
        let client = Self.client(transport, clock: ManualClock())
        let credentials = try await client.activateDesktopProduct(
            activationKey: " admay7dvljtwhj76mmbmqyt5lata ", productToken: Self.productToken, tokenExpiration: .seconds(86_400))
        #expect(credentials.accessKeyID == "AKIADEVPAYCUSTOMER01")
        #expect(credentials.secretAccessKey == "dEvPaYcUsToMeRsEcReT/kEy+0123456789EXAMPLE")
        #expect(credentials.userToken.value.hasPrefix("{UserToken}AAAHVXNlclRrbgfOpSykBAXO7g"))
        #expect(transport.requests.count == 1)
        #expect(transport.requests[0].method == .get)
        #expect(transport.requests[0].authority == "ls.amazonaws.com")
        let parameters = transport.parameters(ofRequest: 0)
        #expect(parameters == [
            "Action": "ActivateDesktopProduct", "ActivationKey": "ADMAY7DVLJTWHJ76MMBMQYT5LATA",
            "ProductToken": Self.productToken, "TokenExpiration": "PT86400S", "Version": "2008-04-28",
        ])
    }

    @Test("malformed inputs fail with a typed error before anything is sent")
    func validationBeforeSending() async throws {
        let transport = ScriptedHTTPTransport([])
        let client = Self.client(transport, clock: ManualClock())
        await #expect(throws: LicenseServiceError.invalidInput(.activationKeyInvalidCharacter(position: 4))) {
            try await client.activateDesktopProduct(activationKey: "ADMA-Y7DV", productToken: Self.productToken)
        }
        await #expect(throws: LicenseServiceError.invalidInput(.tokenMissingPrefix(expected: "{ProductToken}"))) {
            try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: "YLFRL3e4lOHTgGSQa8BOKA")
        }
        await #expect(throws: LicenseServiceError.invalidInput(.invalidTokenExpiration)) {
            try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken, tokenExpiration: .milliseconds(10))
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("an expired activation key is not retried and asks for a new key at the activate URL")
    func expiredKey() async throws {
        let transport = ScriptedHTTPTransport([.answer(status: 400, body: Self.body("error-expired-activation-key-2008.xml"))])
        let client = Self.client(transport, clock: ManualClock())
        do {
            _ = try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken)
            Issue.record("an error answer was taken for success")
        } catch {
            #expect(error.codes == [.expiredActivationKey])
            #expect(error.requiredAction == .getNewActivationKey(activateURL: "http://www.amazon.com/dp-activate"))
            guard case .service(let response) = error else { Issue.record("\(error)"); return }
            #expect(response.requestID == "e0000001-expired")
            #expect(response.primary.party == .sender)
        }
        #expect(transport.requests.count == 1)
    }

    @Test("a 503 without a body is throttling: retried after a backoff, then the answer is used")
    func throttledThenSuccess() async throws {
        let clock = ManualClock()
        let transport = ScriptedHTTPTransport([
            .answer(status: 503, body: ""),
            .answer(status: 200, body: Self.body("verify-subscribed-2008.xml")),
        ])
        let client = Self.client(transport, clock: clock)
        let credentials = try Self.credentials()
        let call = Task { try await client.verifyProductSubscription(credentials: credentials, productToken: ProductToken(Self.productToken)) }
        try #require(await clock.sleeperArrives())
        let deadline = try #require(clock.nextDeadline)
        #expect(deadline.offset <= .seconds(1), "standard throttling backoff is full jitter under 1 s")
        clock.advance(to: deadline)
        #expect(try await call.value == true)
        #expect(transport.requests.count == 2)
    }

    @Test("Retry-After sets the wait before the next attempt")
    func retryAfterHonoured() async throws {
        let clock = ManualClock()
        let transport = ScriptedHTTPTransport([
            .answer(status: 503, headers: ["Retry-After": "3"], body: "<html>busy</html>"),
            .answer(status: 503, headers: ["Retry-After": "4"], body: Self.body("error-request-throttled-2008.xml")),
            .answer(status: 200, body: Self.body("activate-success-2007.xml")),
        ])
        let client = Self.client(transport, clock: clock)
        let call = Task { try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken) }
        try #require(await clock.sleeperArrives())
        #expect(clock.nextDeadline == ManualClock.Instant(offset: .seconds(3)))
        clock.advance(by: .seconds(3))
        try #require(await clock.sleeperArrives())
        #expect(clock.nextDeadline == ManualClock.Instant(offset: .seconds(7)))
        clock.advance(by: .seconds(4))
        #expect(try await call.value.accessKeyID == "AKIADEVPAYCUSTOMER01")
        #expect(transport.requests.count == 3)
    }

    @Test("when throttling outlasts the attempts, the error says to retry later with the last hint")
    func throttlingExhausted() async throws {
        let clock = ManualClock()
        let transport = ScriptedHTTPTransport(Array(repeating: .answer(status: 503, headers: ["Retry-After": "2"], body: ""), count: 3))
        let client = Self.client(transport, clock: clock)
        let call = Task { () async throws(LicenseServiceError) -> CustomerCredentials in
            try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken)
        }
        for _ in 0..<2 {
            try #require(await clock.sleeperArrives())
            clock.advance(to: clock.nextDeadline!)
        }
        let result = await call.result
        #expect(throws: LicenseServiceError.throttled(httpStatus: 503, retryAfter: .seconds(2))) { try result.get() }
        #expect(transport.requests.count == 3)
    }

    @Test("signed calls are signed again with a fresh Timestamp on every attempt")
    func freshTimestampPerAttempt() async throws {
        let clock = ManualClock()
        let transport = ScriptedHTTPTransport([
            .answer(status: 500, body: Self.body("error-internal-error-2008.xml")),
            .answer(status: 200, body: Self.body("refresh-success-2008.xml")),
        ])
        let client = Self.client(transport, clock: clock)
        let credentials = try Self.credentials()
        clock.advance(by: .seconds(10))
        let call = Task { try await client.refreshUserToken(credentials: credentials, productToken: ProductToken(Self.productToken)) }
        try #require(await clock.sleeperArrives())
        clock.advance(by: .seconds(2))
        let refreshed = try await call.value
        #expect(refreshed.userToken.value.hasPrefix("{UserToken}AAAHVXNlclRrbgfNEWTOKEN"))
        #expect(refreshed.accessKeyID == credentials.accessKeyID && refreshed.secretAccessKey == credentials.secretAccessKey)
        let first = transport.parameters(ofRequest: 0)
        let second = transport.parameters(ofRequest: 1)
        #expect(first["Timestamp"] == "2025-11-30T03:14:17Z")
        #expect(second["Timestamp"] == "2025-11-30T03:14:19Z")
        #expect(first["Signature"] != second["Signature"])
        #expect(first["AdditionalTokens"] == Self.productToken)
        #expect(first["AWSAccessKeyId"] == "AKIADEVPAYCUSTOMER01")
    }

    @Test("a documented permanent error is not retried: UserNotSubscribed sends the customer to billing")
    func notSubscribed() async throws {
        let transport = ScriptedHTTPTransport([.answer(status: 400, body: Self.body("error-user-not-subscribed-2008.xml"))])
        let client = Self.client(transport, clock: ManualClock())
        let credentials = try Self.credentials()
        await #expect {
            try await client.verifyProductSubscription(credentials: credentials, productToken: ProductToken(Self.productToken))
        } throws: { error in
            (error as? LicenseServiceError)?.requiredAction == .fixPayment(billingURL: "http://www.amazon.com/dp-applications")
        }
        #expect(transport.requests.count == 1)
    }

    @Test("timeouts and resets are retried, TLS failures are not")
    func transportFailures() async throws {
        let clock = ManualClock()
        let retried = ScriptedHTTPTransport([.fail(.timeout), .answer(status: 200, body: Self.body("verify-not-subscribed-2007.xml"))])
        let client = Self.client(retried, clock: clock)
        let credentials = try Self.credentials()
        let token = try ProductToken(Self.productToken)
        let call = Task { try await client.verifyProductSubscription(credentials: credentials, productToken: token) }
        try #require(await clock.sleeperArrives())
        clock.advance(to: clock.nextDeadline!)
        #expect(try await call.value == false)

        let untrusted = HTTPClientError.tls(TLSFailure(.untrustedCertificate, detail: "certificate verify failed"))
        let refused = ScriptedHTTPTransport([.fail(untrusted)])
        await #expect(throws: LicenseServiceError.transport(untrusted)) {
            try await Self.client(refused, clock: ManualClock()).verifyProductSubscription(credentials: credentials, productToken: token)
        }
        #expect(refused.requests.count == 1)
    }

    @Test("cancelling a call while it waits to retry ends it as cancelled")
    func cancellation() async throws {
        let clock = ManualClock()
        let transport = ScriptedHTTPTransport([.answer(status: 503, body: "")])
        let client = Self.client(transport, clock: clock)
        let call = Task { () async throws(LicenseServiceError) -> CustomerCredentials in
            try await client.activateDesktopProduct(activationKey: "ADMAY7DV", productToken: Self.productToken)
        }
        try #require(await clock.sleeperArrives())
        call.cancel()
        let result = await call.result
        #expect(throws: LicenseServiceError.transport(.cancelled)) { try result.get() }
    }

    @Test("HTTPS only: a plain HTTP endpoint cannot even be made")
    func httpsOnly() {
        #expect(throws: LicenseServiceEndpointError.notHTTPS("http://127.0.0.1:8080/")) {
            try LicenseServiceEndpoint("http://127.0.0.1:8080/")
        }
    }
}
