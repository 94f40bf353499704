import DevPayKit
import DevPayLicenseService
import DevPaySigning
import DevPayStateMachineTesting
import Foundation
import NIOConcurrencyHelpers
import Testing

@Suite("Lifecycle actor with fake services and a manual clock")
struct DevPayLifecycleTests {
    @Test("an empty store launches unactivated; activation stores the set, polls, and becomes subscribed")
    func activateThenSubscribe() async throws {
        let harness = await LifecycleHarness()
        await harness.waitFor(.unactivated)
        let state = try await harness.lifecycle.activate(key: "admay7dvljtwhj76mmbmqyt5lata")
        #expect(state == .activatedUnsubscribed(checksLeft: 5))
        #expect(await harness.store.stored == Fixtures.credentials(1))
        await harness.waitFor(.activatedUnsubscribed(checksLeft: 4))
        await harness.service.setSubscribed(true)
        await harness.fireTimer(after: .seconds(30))
        await harness.waitFor(.subscribed)
        #expect(await harness.service.count("verify") == 2)
    }

    @Test("polling stops when the schedule is used up; the set is kept and an on-demand check still works")
    func pollingStops() async throws {
        let harness = await LifecycleHarness()
        await harness.waitFor(.unactivated)
        try await harness.lifecycle.activate(key: Fixtures.key.value)
        for left in (0...4).reversed() {
            await harness.waitFor(.activatedUnsubscribed(checksLeft: left))
            if left > 0 { await harness.fireTimer(after: .seconds(30)) }
        }
        #expect(await harness.service.count("verify") == 5)
        #expect(harness.clock.sleeperCount == 0)
        #expect(await harness.store.stored != nil)
        await harness.service.setSubscribed(true)
        #expect(try await harness.lifecycle.verifySubscription() == .subscribed)
    }

    @Test("no S3 request is sent before the customer is subscribed")
    func gateRefuses() async throws {
        let harness = await LifecycleHarness()
        await harness.waitFor(.unactivated)
        let sent = NIOLockedValueBox(0)
        await #expect(throws: DevPayLifecycleError.notSubscribed(.unactivated)) {
            try await harness.lifecycle.withS3Credentials { _ in sent.withLockedValue { $0 += 1 } }
        }
        try await harness.lifecycle.activate(key: Fixtures.key.value)
        await harness.waitFor(.activatedUnsubscribed(checksLeft: 4))
        await #expect(throws: DevPayLifecycleError.self) {
            try await harness.lifecycle.withS3Credentials { _ in sent.withLockedValue { $0 += 1 } }
        }
        #expect(sent.withLockedValue { $0 } == 0)
    }

    @Test("the gate hands the signer the customer's keys with the user and product tokens")
    func gateSuppliesCredentials() async throws {
        let harness = await subscribedHarness()
        let signing = try await harness.lifecycle.withS3Credentials { $0.signing }
        #expect(signing.accessKeyID == "AKID1")
        #expect(signing.secretAccessKey == "secret1")
        #expect(signing.securityToken == .devPay(userToken: "{UserToken}user1", productToken: Fixtures.productToken.value))
    }

    @Test("S3 ExpiredToken expires the set; an expired key keeps the old set and state; a new key replaces it")
    func reactivation() async throws {
        let harness = await subscribedHarness()
        await #expect(throws: DevPayLifecycleError.self) {
            try await harness.lifecycle.withS3Credentials { _ in throw S3ErrorAnswer(code: "ExpiredToken", status: 400) }
        }
        let expired = ActivationState.expiredNeedsReactivation(.credentialsRejected(code: "ExpiredToken"))
        await harness.waitFor(expired)
        await harness.service.failActivations([Fixtures.expiredKey])
        await #expect(throws: DevPayLifecycleError.licenseService(Fixtures.expiredKey)) {
            try await harness.lifecycle.reactivate(key: Fixtures.otherKey.value)
        }
        #expect(await harness.lifecycle.state == expired)
        #expect(await harness.store.stored == Fixtures.credentials(1))
        await harness.store.failNextSaves(1)
        await #expect(throws: DevPayLifecycleError.credentialStorage(message: "disk full")) {
            try await harness.lifecycle.reactivate(key: Fixtures.otherKey.value)
        }
        #expect(await harness.store.stored == Fixtures.credentials(1))
        #expect(try await harness.lifecycle.reactivate(key: Fixtures.otherKey.value) == .activatedUnsubscribed(checksLeft: 5))
        #expect(await harness.store.stored == Fixtures.credentials(3))
        await harness.waitFor(.subscribed)
        #expect(try await harness.lifecycle.withS3Credentials { $0.signing.accessKeyID } == "AKID3")
    }

    @Test("a known TokenExpiration deadline expires the set on time, without any S3 failure")
    func deadline() async throws {
        let harness = await LifecycleHarness(tokenExpiration: .seconds(3600))
        await harness.service.setSubscribed(true)
        await harness.waitFor(.unactivated)
        try await harness.lifecycle.activate(key: Fixtures.key.value)
        await harness.waitFor(.subscribed)
        #expect(await harness.store.stored?.tokenExpiresAt == Fixtures.epoch.addingTimeInterval(3600))
        await harness.clock.waitForSleeper(until: .init(offset: .seconds(3600)))
        harness.clock.advance(by: .seconds(3599))
        #expect(await harness.lifecycle.state == .subscribed)
        harness.clock.advance(by: .seconds(1))
        await harness.waitFor(.expiredNeedsReactivation(.tokenExpired))
    }

    @Test("a restart restores the set and its persisted deadline, and verifies once")
    func restart() async throws {
        let clock = ManualClock(start: .init(offset: .seconds(1000)))
        let set = Fixtures.credentials(7, expiresAt: Fixtures.epoch.addingTimeInterval(1100))
        let service = FakeLicenseService()
        let harness = await LifecycleHarness(clock: clock, service: service, store: FakeCredentialStore(.found(set)))
        // The fake only knows tokens it issued: an unknown token is rejected, so issue and restore that one.
        await harness.waitFor("rejected unknown token") { $0.name == .expiredNeedsReactivation }
        #expect(await service.count("verify") == 1)

        let known = FakeLicenseService()
        let issued = try await known.activate(key: Fixtures.key, productToken: Fixtures.productToken, tokenExpiration: nil)
        await known.setSubscribed(true)
        let withDeadline = try LifecycleCredentials(
            userToken: issued.userToken, accessKeyID: issued.accessKeyID, secretAccessKey: issued.secretAccessKey,
            tokenExpiresAt: Fixtures.epoch.addingTimeInterval(1100))
        let restarted = await LifecycleHarness(clock: clock, service: known, store: FakeCredentialStore(.found(withDeadline)))
        await restarted.waitFor(.subscribed)
        #expect(await known.count("verify") == 1)
        await restarted.fireTimer(after: .seconds(100))
        await restarted.waitFor(.expiredNeedsReactivation(.tokenExpired))
    }

    @Test("a corrupted store launches into reactivation, a passed deadline too")
    func corruptedStore() async {
        let corrupted = await LifecycleHarness(store: FakeCredentialStore(.unreadable))
        await corrupted.waitFor(.expiredNeedsReactivation(.credentialsMissing))
        let past = Fixtures.credentials(1, expiresAt: Fixtures.epoch.addingTimeInterval(-1))
        let expired = await LifecycleHarness(store: FakeCredentialStore(.found(past)))
        await expired.waitFor(.expiredNeedsReactivation(.tokenExpired))
        #expect(await expired.service.count("verify") == 0)
    }

    @Test("TokenRefreshRequired refreshes the token, stores it and retries the request once with it")
    func refresh() async throws {
        let harness = await subscribedHarness()
        let tokens = NIOLockedValueBox<[String]>([])
        let result = try await harness.lifecycle.withS3Credentials { credentials in
            let first = tokens.withLockedValue { $0.append(credentials.signing.securityToken!.value); return $0.count == 1 }
            if first { throw S3ErrorAnswer(code: "TokenRefreshRequired", status: 400) }
            return "ok"
        }
        #expect(result == "ok")
        #expect(tokens.withLockedValue { $0 }.last?.hasPrefix("{UserToken}user1-refreshed,") == true)
        #expect(await harness.store.stored?.userToken == "{UserToken}user1-refreshed")
        #expect(await harness.lifecycle.state == .subscribed)
    }

    @Test("SignatureDoesNotMatch is retried once, and expires the set when it persists")
    func signatureMismatch() async throws {
        let harness = await subscribedHarness()
        let attempts = NIOLockedValueBox(0)
        await #expect(throws: DevPayLifecycleError.self) {
            try await harness.lifecycle.withS3Credentials { _ in
                attempts.withLockedValue { $0 += 1 }
                throw S3ErrorAnswer(code: "SignatureDoesNotMatch", status: 403)
            }
        }
        #expect(attempts.withLockedValue { $0 } == 2)
        await harness.waitFor(.expiredNeedsReactivation(.credentialsRejected(code: "SignatureDoesNotMatch")))
    }

    @Test("clock skew corrects the signing time and never reactivates")
    func skew() async throws {
        let harness = await subscribedHarness()
        let offsets = NIOLockedValueBox<[Duration]>([])
        try await harness.lifecycle.withS3Credentials { credentials in
            let first = offsets.withLockedValue { $0.append(credentials.clockOffset); return $0.count == 1 }
            if first {
                throw S3ErrorAnswer(code: "RequestTimeTooSkewed", status: 403, serverTime: Fixtures.epoch.addingTimeInterval(1200))
            }
        }
        #expect(offsets.withLockedValue { $0 } == [.zero, .seconds(1200)])
        #expect(await harness.lifecycle.state == .subscribed)
    }

    @Test("AccessDenied checks the subscription: a lapsed customer is activated-unsubscribed")
    func accessDenied() async throws {
        let harness = await subscribedHarness()
        await harness.service.setSubscribed(false)
        await #expect(throws: DevPayLifecycleError.self) {
            try await harness.lifecycle.withS3Credentials { _ in throw S3ErrorAnswer(code: "NotSignedUp", status: 403) }
        }
        await harness.waitFor(.activatedUnsubscribed(checksLeft: 0))
        #expect(await harness.store.stored != nil)
    }

    @Test("service faults are retried with backoff on the injected clock")
    func slowDown() async throws {
        let harness = await subscribedHarness()
        let attempts = NIOLockedValueBox(0)
        let task = Task {
            try await harness.lifecycle.withS3Credentials { _ in
                let attempt = attempts.withLockedValue { $0 += 1; return $0 }
                if attempt < 3 { throw S3ErrorAnswer(code: "SlowDown", status: 503) }
                return attempt
            }
        }
        await harness.fireTimer(after: .milliseconds(100))
        await harness.fireTimer(after: .milliseconds(200))
        #expect(try await task.value == 3)
    }

    @Test("sign-out deletes the set; activation is refused while it is in flight and allowed after")
    func signOut() async throws {
        let harness = await subscribedHarness()
        try await harness.lifecycle.signOut()
        #expect(await harness.lifecycle.state == .unactivated)
        #expect(await harness.store.record == .missing)
        await #expect(throws: DevPayLifecycleError.notAllowed(action: "reactivate", state: .unactivated)) {
            try await harness.lifecycle.reactivate(key: Fixtures.key.value)
        }
        let malformed = await #expect(throws: DevPayLifecycleError.self) {
            try await harness.lifecycle.activate(key: "ABC-DEF")
        }
        guard case .malformedActivationKey = malformed else {
            Issue.record("expected a malformed-key error, got \(String(describing: malformed))")
            return
        }
        #expect(await harness.service.count("activate") == 1)
    }

    @Test("the transition stream names events and failures but never carries a secret")
    func transitionsRedact() async throws {
        let harness = await LifecycleHarness()
        await harness.waitFor(.unactivated)
        let transitions = await harness.lifecycle.transitions
        await harness.service.failActivations([Fixtures.wrongProduct])
        await #expect(throws: DevPayLifecycleError.self) { try await harness.lifecycle.activate(key: Fixtures.key.value) }
        var seen: [LifecycleTransition<ManualClock.Instant>] = []
        for await transition in transitions {
            seen.append(transition)
            if transition.to == .unactivated { break }
        }
        #expect(seen.map(\.event) == [.activate, .activationFailed])
        #expect(seen.last?.failure == .licenseService(Fixtures.wrongProduct))
        #expect(!String(describing: seen).contains(Fixtures.key.value))
    }

    @Test("two products in one app are fully separate")
    func twoProducts() async throws {
        let first = await subscribedHarness()
        let second = await LifecycleHarness(productToken: try! ProductToken("{ProductToken}OTHER"))
        await second.waitFor(.unactivated)
        await #expect(throws: DevPayLifecycleError.self) { try await second.lifecycle.activate(key: Fixtures.key.value) }
        #expect(await second.lifecycle.state == .unactivated)
        #expect(await first.lifecycle.state == .subscribed)
        #expect(await second.store.record == .missing)
    }

    private func subscribedHarness(productToken: ProductToken = Fixtures.productToken) async -> LifecycleHarness {
        let harness = await LifecycleHarness(productToken: productToken)
        await harness.service.setSubscribed(true)
        await harness.waitFor(.unactivated)
        _ = try? await harness.lifecycle.activate(key: Fixtures.key.value)
        await harness.waitFor(.subscribed)
        return harness
    }
}

@Suite("S3 gate and replaced credentials")
struct S3GateReplacedSetTests {
    @Test("an S3 rejection of a set replaced meanwhile does not expire the new set; the request is sent again")
    func staleAnswer() async throws {
        let harness = await LifecycleHarness()
        await harness.service.setSubscribed(true)
        await harness.waitFor(.unactivated)
        try await harness.lifecycle.activate(key: Fixtures.key.value)
        await harness.waitFor(.subscribed)
        let lifecycle = harness.lifecycle
        let keys = NIOLockedValueBox<[String]>([])
        try await lifecycle.withS3Credentials { credentials in
            let first = keys.withLockedValue { $0.append(credentials.signing.accessKeyID); return $0.count == 1 }
            guard first else { return }
            // While this request is out, the customer reactivates with a new key.
            _ = try await lifecycle.reactivate(key: Fixtures.otherKey.value)
            await Waiter(lifecycle: lifecycle).waitFor(.subscribed)
            throw S3ErrorAnswer(code: "InvalidAccessKeyId", status: 403)
        }
        #expect(keys.withLockedValue { $0 } == ["AKID1", "AKID2"])
        #expect(await lifecycle.state == .subscribed)
    }
}
