import DevPayLicenseService
import DevPayRetry
import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayHTTPTesting
import DevPayLoggingTesting
import Logging
import Testing

@Suite("What the client logs")
struct LoggingTests {
    @Test("at trace level, logs name actions, statuses and codes but never a key, token or secret")
    func noSecretsInLogs() async throws {
        let logs = CapturedLogs()
        let logger = logs.logger(label: "test")
        let transport = ScriptedHTTPTransport([
            .answer(status: 200, body: LicenseServiceClientTests.body("activate-success-2008.xml")),
            .fail(.timeout),
            .answer(status: 400, body: LicenseServiceClientTests.body("error-user-not-subscribed-2008.xml")),
        ])
        let clock = ManualClock()
        let client = LicenseServiceClient(
            transport: transport,
            retryEngine: RetryEngine(policy: .standard, clock: clock, randomNumberGenerator: SeededRandomNumberGenerator(seed: 3), logger: logger),
            secondsSince1970: { 1_764_472_447 },
            logger: logger
        )
        let activationKey = "ADMAY7DVLJTWHJ76MMBMQYT5LATA"
        let credentials = try await client.activateDesktopProduct(activationKey: activationKey, productToken: LicenseServiceClientTests.productToken)
        let call = Task { try await client.verifyProductSubscription(credentials: credentials, productToken: ProductToken(LicenseServiceClientTests.productToken)) }
        try #require(await clock.sleeperArrives())
        clock.advance(to: try #require(clock.nextDeadline))
        _ = await call.result

        let text = logs.lines.joined(separator: "\n")
        #expect(text.contains("ActivateDesktopProduct"))
        #expect(text.contains("UserNotSubscribed"))
        for secret in [activationKey, credentials.secretAccessKey, credentials.userToken.value, "YLFRL3e4lOHTgGSQa8BOKA",
                       "AAAHVXNlclRrbgfOpSykBAXO7g"] {
            #expect(!text.contains(secret), "the logs hold a secret")
        }
    }
}
