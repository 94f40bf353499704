import DevPayLicenseService
import DevPayRetry
import DevPayTesting
import Logging
import Synchronization
import Testing

@Suite("What the client logs")
struct LoggingTests {
    @Test("at trace level, logs name actions, statuses and codes but never a key, token or secret")
    func noSecretsInLogs() async throws {
        let lines = LogLines()
        var logger = Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .trace
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

        let text = lines.all.joined(separator: "\n")
        #expect(text.contains("ActivateDesktopProduct"))
        #expect(text.contains("UserNotSubscribed"))
        for secret in [activationKey, credentials.secretAccessKey, credentials.userToken.value, "YLFRL3e4lOHTgGSQa8BOKA",
                       "AAAHVXNlclRrbgfOpSykBAXO7g"] {
            #expect(!text.contains(secret), "the logs hold a secret")
        }
    }
}

/// Every message logged through a ``CapturingLogHandler``, with its metadata, one line each.
private final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

private struct CapturingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.level) \(event.message) \(merged)")
    }
}
