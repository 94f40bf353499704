import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayRetry
import DevPayStateMachineTesting
import DevPayHTTPTesting
import DevPayStateMachine
import Foundation
import HTTPTypes
import Testing

/// One layer owns a call's retries (docs/ARCHITECTURE.md): the License Service client's engine retries one
/// subscription check; the lifecycle never wraps another retry loop around it, it only decides when the next
/// check is due. Real adapter, real client, real engine, a scripted transport, one manual clock.
@Suite("One retry layer: attempts per check are the engine's, re-checks are the chart's")
struct OneRetryLayerTests {
    static let subscribedBody = """
        <?xml version="1.0"?>
        <VerifyProductSubscriptionByTokensResponse xmlns="http://ls.amazonaws.com/doc/2008-04-28/">
          <VerifyProductSubscriptionByTokensResult><Subscribed>true</Subscribed></VerifyProductSubscriptionByTokensResult>
          <ResponseMetadata><RequestId>one-layer</RequestId></ResponseMetadata>
        </VerifyProductSubscriptionByTokensResponse>
        """

    static let engineLimit = StandardRetryPolicy().maxAttempts

    struct Offline {
        let clock = ManualClock()
        let transport: ScriptedHTTPTransport
        let lifecycle: DevPayLifecycle<ManualClock>

        /// A lifecycle whose store holds a set and whose network fails with `failure` for `failedChecks` whole
        /// checks (each the engine's full number of attempts), then answers "subscribed".
        init(failure: HTTPClientError, failedChecks: Int) async {
            let answers = Array(repeating: ScriptedHTTPTransport.Answer.failure(failure), count: failedChecks * OneRetryLayerTests.engineLimit)
                + [ScriptedHTTPTransport.Answer(.ok, body: OneRetryLayerTests.subscribedBody)]
            transport = ScriptedHTTPTransport(answers)
            let clock = clock
            let client = LicenseServiceClient(
                transport: transport,
                retryEngine: RetryEngine(policy: .standard, clock: clock, randomNumberGenerator: SeededRandomNumberGenerator(seed: 3)),
                secondsSince1970: { 1_800_000_000 + clock.now.offset.components.seconds })
            let configuration = LifecycleConfiguration(
                productToken: Fixtures.productToken, licenseService: LicenseServiceAdapter(client: client),
                store: FakeCredentialStore(.found(Fixtures.credentials(1))), clock: clock,
                wallClock: { Fixtures.epoch.addingTimeInterval(clock.now.offset.seconds) },
                recheck: LifecycleHarness.recheck)
            lifecycle = await DevPayLifecycle(configuration: configuration)
        }

        /// Advances the clock through the engine's short backoffs (well under the re-check delay) until the
        /// lifecycle rests in a state matching `predicate`.
        func run(until predicate: @escaping @Sendable (ActivationState) -> Bool) async -> ActivationState {
            for _ in 0..<20_000 {
                let state = await lifecycle.state
                if predicate(state) { return state }
                if let deadline = clock.nextDeadline, clock.now.duration(to: deadline) < .seconds(1) {
                    clock.advance(to: deadline)
                }
                try? await Task.sleep(for: .milliseconds(1))
            }
            return await lifecycle.state
        }
    }

    @Test("a check against no network costs the engine's attempts, once; the next check waits for the chart's re-check")
    func attemptsPerCheck() async throws {
        let offline = await Offline(failure: .connect("No route to host"), failedChecks: 2)
        let first = await offline.run { $0.name == .subscriptionUnknown }
        #expect(first == .subscriptionUnknown(.launch, attempt: 1))
        #expect(offline.transport.sent.count == Self.engineLimit, "one check, the engine's attempts: no second layer")
        // Nothing more is sent while the re-check waits.
        await offline.clock.waitForSleepers(count: 1)
        let recheckAt = try #require(offline.clock.nextDeadline)
        #expect(offline.clock.now.duration(to: recheckAt) >= .seconds(1))
        #expect(offline.transport.sent.count == Self.engineLimit)
        offline.clock.advance(to: recheckAt)
        let second = await offline.run { $0 == .subscriptionUnknown(.launch, attempt: 2) }
        #expect(second == .subscriptionUnknown(.launch, attempt: 2))
        #expect(offline.transport.sent.count == 2 * Self.engineLimit)
        await offline.lifecycle.shutDown()
    }

    @Test("offline at launch, network back later: subscribed without any call from the app")
    func recoversByItself() async throws {
        let offline = await Offline(failure: .nameResolution(host: "ls.amazonaws.com"), failedChecks: 3)
        for attempt in 1...3 {
            let state = await offline.run { $0 == .subscriptionUnknown(.launch, attempt: attempt) }
            #expect(state == .subscriptionUnknown(.launch, attempt: attempt))
            await offline.clock.waitForSleepers(count: 1)
            let recheckAt = try #require(offline.clock.nextDeadline)
            offline.clock.advance(to: recheckAt)
        }
        let state = await offline.run { $0 == .subscribed }
        #expect(state == .subscribed)
        #expect(offline.transport.sent.count == 3 * Self.engineLimit + 1)
        await offline.lifecycle.shutDown()
    }

    @Test("a certificate that fails verification is tried once per check and reported as TLS, never as not subscribed")
    func untrustedOnce() async throws {
        let untrusted = HTTPClientError.tls(TLSFailure(.untrustedCertificate, detail: "self-signed certificate"))
        let offline = await Offline(failure: untrusted, failedChecks: 1)
        let launch = await offline.run { $0.name != .verifying }
        #expect(launch == .subscriptionUnknown(.launch, attempt: 1), "a TLS failure is not 'not subscribed'")
        #expect(offline.transport.sent.count == 1)
        // On demand: one more call, one attempt, and the error names the cause.
        do {
            _ = try await offline.lifecycle.verifySubscription()
            Issue.record("the check succeeded against an untrusted certificate")
        } catch {
            guard case .licenseService(let failure) = error else {
                Issue.record("expected a License Service failure, got \(error)")
                return
            }
            #expect(failure.connection == untrusted)
            #expect(failure.action == .fixConnectionSettings)
        }
        #expect(offline.transport.sent.count == 2)
        await offline.lifecycle.shutDown()
    }
}
