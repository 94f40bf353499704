import DevPayHTTP
import DevPayLicenseService
import DevPayRetry
import DevPayStateMachineTesting
import DevPayHTTPTesting
import Foundation
import Testing

/// docs/retry.md's table for License Service calls: what a retry can change is retried by the client's one
/// engine, within its attempts, deadline and quota; what it cannot change fails at the first attempt with the
/// action that says what to do.
@Suite("License Service retries by what a retry can change")
struct RetryTableTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let failure: HTTPClientError
        let attempts: Int
        let action: LicenseServiceRequiredAction
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "untrusted certificate", failure: .tls(TLSFailure(.untrustedCertificate, detail: "self-signed")),
            attempts: 1, action: .fixConnectionSettings),
        Row(name: "expired certificate", failure: .tls(TLSFailure(.expiredCertificate, detail: "expired")),
            attempts: 1, action: .fixConnectionSettings),
        Row(name: "certificate for another host", failure: .tls(TLSFailure(.hostnameMismatch, detail: "host")),
            attempts: 1, action: .fixConnectionSettings),
        Row(name: "pinned key mismatch", failure: .tls(TLSFailure(.pinnedKeyMismatch, detail: "pin")),
            attempts: 1, action: .fixConnectionSettings),
        Row(name: "plain HTTP refused", failure: .invalidURL("plain http:// refused"), attempts: 1, action: .fixConnectionSettings),
        Row(name: "connection refused", failure: .connect("Connection refused"), attempts: 3, action: .retryLater(after: nil)),
        Row(name: "no route to host", failure: .connect("No route to host"), attempts: 3, action: .retryLater(after: nil)),
        Row(name: "name resolution", failure: .nameResolution(host: "ls.amazonaws.com"), attempts: 3, action: .retryLater(after: nil)),
        Row(name: "connection reset", failure: .transfer("Connection reset by peer"), attempts: 3, action: .retryLater(after: nil)),
        Row(name: "timeout", failure: .timeout, attempts: 3, action: .retryLater(after: nil)),
    ]

    @Test("each transport failure is tried as often as a retry can help, no more", arguments: rows)
    func row(_ row: Row) async throws {
        let clock = ManualClock()
        let transport = ScriptedHTTPTransport(Array(repeating: .fail(row.failure), count: 5))
        let client = LicenseServiceClientTests.client(transport, clock: clock)
        let credentials = try LicenseServiceClientTests.credentials()
        let token = try ProductToken(LicenseServiceClientTests.productToken)
        let result = await Self.drive(clock) {
            try await client.verifyProductSubscription(credentials: credentials, productToken: token)
        }
        #expect(transport.requests.count == row.attempts)
        guard case .failure(let error as LicenseServiceError) = result else {
            Issue.record("expected a LicenseServiceError, got \(result)")
            return
        }
        #expect(error == .transport(row.failure))
        #expect(error.requiredAction == row.action)
    }

    @Test("bad input fails before anything is sent")
    func badInput() async throws {
        let transport = ScriptedHTTPTransport([])
        let client = LicenseServiceClientTests.client(transport, clock: ManualClock())
        await #expect(throws: LicenseServiceError.self) {
            _ = try await client.activateDesktopProduct(activationKey: "not a key!", productToken: LicenseServiceClientTests.productToken)
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("a 503 storm is still retried with backoff, and the shared quota ends the retries")
    func throttlingStorm() async throws {
        let clock = ManualClock()
        // 10 tokens: two retries at 5 each, then none.
        let policy = StandardRetryPolicy(retryQuota: RetryQuota(capacity: 10))
        let transport = ScriptedHTTPTransport(Array(repeating: .answer(status: 503, body: ""), count: 10))
        let client = LicenseServiceClientTests.client(transport, clock: clock, policy: policy)
        let credentials = try LicenseServiceClientTests.credentials()
        let token = try ProductToken(LicenseServiceClientTests.productToken)
        let (first, waits) = await Self.driveCountingWaits(clock) {
            try await client.verifyProductSubscription(credentials: credentials, productToken: token)
        }
        #expect(transport.requests.count == 3, "three attempts: the engine's limit")
        #expect(waits.count == 2)
        #expect(waits.allSatisfy { $0 > .zero && $0 < .seconds(4) }, "full-jitter throttling backoff: \(waits)")
        guard case .failure(LicenseServiceError.throttled) = first else {
            Issue.record("expected throttled, got \(first)")
            return
        }
        let second = await Self.drive(clock) {
            try await client.verifyProductSubscription(credentials: credentials, productToken: token)
        }
        #expect(transport.requests.count == 4, "the quota is empty: one attempt, no retry")
        guard case .failure(LicenseServiceError.throttled) = second else {
            Issue.record("expected throttled, got \(second)")
            return
        }
    }

    static func drive<Value: Sendable>(
        _ clock: ManualClock, _ call: @escaping @Sendable () async throws -> Value
    ) async -> Result<Value, any Error> {
        await driveCountingWaits(clock, call).0
    }

    /// Runs `call`, moving the manual clock to each retry wait's end as soon as the engine sleeps; returns the
    /// result and the waits slept, in order.
    static func driveCountingWaits<Value: Sendable>(
        _ clock: ManualClock, _ call: @escaping @Sendable () async throws -> Value
    ) async -> (Result<Value, any Error>, [Duration]) {
        let task = Task { () -> Result<Value, any Error> in
            do { return .success(try await call()) } catch { return .failure(error) }
        }
        let driver = Task { () -> [Duration] in
            var waits: [Duration] = []
            while !Task.isCancelled {
                if clock.sleeperCount > 0, let deadline = clock.nextDeadline {
                    waits.append(clock.now.duration(to: deadline))
                    clock.advance(to: deadline)
                }
                try? await Task.sleep(for: .milliseconds(1))
            }
            return waits
        }
        let result = await task.value
        driver.cancel()
        return (result, await driver.value)
    }
}
