// example: retry-engine
import DevPayHTTP
import DevPayRetry
import DevPayStateMachine
import DevPayStateMachineTesting
import HTTPTypes

/// 503s and broken connections are tried again; any other status is final.
let statusClassifier = RetryErrorClassifier { error in
    (error as? HTTPStatusError).map { RetryClassification.httpResponse(status: $0.status.code) }
}

/// Production: the continuous clock and the system's random generator.
func productionEngine() -> RetryEngine {
    RetryEngine(policy: .standard, classifier: statusClassifier)
}

/// Tests: a manual clock and a seeded generator, so every delay is known in advance.
func testEngine(clock: ManualClock) -> RetryEngine {
    RetryEngine(policy: .adaptive, clock: clock, randomNumberGenerator: SeededRandomNumberGenerator(seed: 42),
                classifier: statusClassifier)
}

/// Downloads `request`'s body, retrying as the engine decides, within 30 seconds in all.
func download(_ request: HTTPRequest, client: CurlHTTPClient, engine: RetryEngine) async throws -> [UInt8] {
    try await engine.run("Download", timeout: .seconds(30)) { attempt in
        let options = HTTPRequestOptions(totalTimeout: attempt.timeRemaining ?? .seconds(30))
        return try await client.send(request, body: nil, options: options).requireSuccess().body
    }
}
// example end
