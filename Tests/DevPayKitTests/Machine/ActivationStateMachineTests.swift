import DevPayLicenseService
import DevPayKit
import DevPayStateMachine
import Testing

@Suite("Activation state machine, stepped purely")
struct ActivationStateMachineTests {
    let machine = ActivationStateMachine(
        polling: PollingSchedule(every: .seconds(30), for: .seconds(90)),
        verificationRetry: ExponentialBackoff(maximumAttempts: 3, initialBackoff: .seconds(2), maximumBackoff: .seconds(60)))
    var table: TransitionTable<ActivationStateMachine> { machine.table }

    @Test("the default schedule checks every 30 s for 20 minutes")
    func defaultSchedule() {
        #expect(PollingSchedule.standard.interval == .seconds(30))
        #expect(PollingSchedule.standard.checks == 40)
    }

    @Test("launch reads the store, then verifies a found set once and arms its deadline")
    func launch() throws {
        let restore = try #require(table.accepted(.restoring, .restore))
        #expect(restore.effects == [.loadStoredSet])
        let found = try #require(table.accepted(.restoring, .storedSetFound(expiresIn: .seconds(600))))
        #expect(found.to == .verifying(.launch, attempt: 1))
        #expect(found.effects == [.verifySubscription])
        #expect(found.timers == [.start(ActivationStateMachine.tokenExpiryTimer, after: .seconds(600), sending: .tokenExpired)])
        #expect(table.next(.restoring, .storedSetMissing).state == .unactivated)
        #expect(table.next(.restoring, .storedSetUnreadable).state == .expiredNeedsReactivation(.credentialsMissing))
    }

    @Test("a stored deadline already passed at launch needs reactivation without a network call")
    func launchPastDeadline() throws {
        let step = try #require(table.accepted(.restoring, .storedSetFound(expiresIn: .seconds(-1))))
        #expect(step.to == .expiredNeedsReactivation(.tokenExpired))
        #expect(step.effects.isEmpty)
    }

    @Test("activation calls the service, stores the set, and only then is activated-unsubscribed and verifies")
    func activation() throws {
        let start = try #require(table.accepted(.unactivated, .activate(key: Fixtures.key)))
        #expect(start.to == .activating)
        #expect(start.effects == [.callActivate(key: Fixtures.key)])
        let got = try #require(table.accepted(.activating, .activationSucceeded(Fixtures.credentials(1))))
        #expect(got.to == .activating)
        #expect(got.effects == [.storeSet(Fixtures.credentials(1))])
        let stored = try #require(table.accepted(.activating, .setStored(expiresIn: nil)))
        #expect(stored.to == .activatedUnsubscribed(checksLeft: 3))
        #expect(stored.effects == [.verifySubscription])
        #expect(stored.timers == [.cancel(ActivationStateMachine.tokenExpiryTimer)])
    }

    @Test("a failed first activation returns to unactivated and stores nothing",
          arguments: [ActivationEvent.activationFailed(Fixtures.expiredKey), .activationFailed(Fixtures.wrongProduct),
                      .storeFailed(message: "disk full")])
    func failedActivation(event: ActivationEvent) throws {
        let step = try #require(table.accepted(.activating, event))
        #expect(step.to == .unactivated)
        #expect(step.effects.isEmpty)
        #expect(event.failure != nil)
    }

    @Test("not subscribed: one check per interval until the checks run out, then wait")
    func polling() throws {
        var state = ActivationState.activatedUnsubscribed(checksLeft: 3)
        for left in [2, 1] {
            let step = try #require(table.accepted(state, .subscriptionChecked(subscribed: false)))
            #expect(step.to == .activatedUnsubscribed(checksLeft: left))
            #expect(step.timers == [.stateTimeout(after: .seconds(30), sending: .pollDue)])
            state = step.to
            #expect(table.accepted(state, .pollDue)?.effects == [.verifySubscription])
        }
        let last = try #require(table.accepted(state, .subscriptionChecked(subscribed: false)))
        #expect(last.to == .activatedUnsubscribed(checksLeft: 0))
        #expect(last.timers.isEmpty)
        // Still checkable on demand, and a passing failure also counts as a check.
        #expect(table.accepted(last.to, .verifySubscription)?.effects == [.verifySubscription])
        #expect(table.next(.activatedUnsubscribed(checksLeft: 2), .verificationFailed(Fixtures.throttled)).state
                == .activatedUnsubscribed(checksLeft: 1))
        #expect(table.next(.activatedUnsubscribed(checksLeft: 2), .subscriptionChecked(subscribed: true)).state
                == .subscribed)
    }

    @Test("a rejected set expires wherever it is checked",
          arguments: [ActivationState.activatedUnsubscribed(checksLeft: 2), .subscribed, .verifying(.launch, attempt: 1)])
    func rejectedSet(state: ActivationState) {
        #expect(table.next(state, .verificationFailed(Fixtures.badUserToken)).state
                == .expiredNeedsReactivation(.credentialsRejected(code: "InvalidUserToken")))
    }

    @Test("verifying retries passing failures with doubling backoff, then keeps the set unsubscribed")
    func verifyingRetries() throws {
        let first = try #require(table.accepted(.verifying(.launch, attempt: 1), .verificationFailed(Fixtures.throttled)))
        #expect(first.to == .verifying(.launch, attempt: 2))
        #expect(first.timers == [.stateTimeout(after: .seconds(2), sending: .verificationRetryDue)])
        let second = try #require(table.accepted(first.to, .verificationFailed(Fixtures.throttled)))
        #expect(second.timers == [.stateTimeout(after: .seconds(4), sending: .verificationRetryDue)])
        #expect(table.accepted(second.to, .verificationRetryDue)?.effects == [.verifySubscription])
        #expect(table.next(second.to, .verificationFailed(Fixtures.throttled)).state == .activatedUnsubscribed(checksLeft: 0))
        #expect(table.next(.verifying(.launch, attempt: 1), .verificationFailed(Fixtures.badProductToken)).state
                == .activatedUnsubscribed(checksLeft: 0))
    }

    @Test("S3 access denied: still subscribed means a bad set, not subscribed means a lapsed customer")
    func accessDenied() throws {
        let step = try #require(table.accepted(.subscribed, .s3AccessDenied(code: "AccessDenied")))
        #expect(step.to == .verifying(.accessDenied(code: "AccessDenied"), attempt: 1))
        #expect(step.effects == [.verifySubscription])
        #expect(table.next(step.to, .subscriptionChecked(subscribed: true)).state
                == .expiredNeedsReactivation(.deniedWhileSubscribed(code: "AccessDenied")))
        #expect(table.next(step.to, .subscriptionChecked(subscribed: false)).state == .activatedUnsubscribed(checksLeft: 0))
    }

    @Test("S3 credential errors expire the set; TokenRefreshRequired refreshes and stores it")
    func s3Answers() throws {
        #expect(table.next(.subscribed, .s3CredentialsRejected(code: "ExpiredToken")).state
                == .expiredNeedsReactivation(.credentialsRejected(code: "ExpiredToken")))
        let refresh = try #require(table.accepted(.subscribed, .s3TokenRefreshRequired))
        #expect(refresh.to == .refreshingToken)
        #expect(refresh.effects == [.refreshUserToken])
        #expect(table.accepted(.refreshingToken, .tokenRefreshed(Fixtures.credentials(2)))?.effects
                == [.storeSet(Fixtures.credentials(2))])
        #expect(table.next(.refreshingToken, .setStored(expiresIn: nil)).state == .subscribed)
        #expect(table.next(.refreshingToken, .refreshFailed(Fixtures.throttled)).state == .subscribed)
        #expect(table.next(.refreshingToken, .refreshFailed(Fixtures.badUserToken)).state
                == .expiredNeedsReactivation(.credentialsRejected(code: "InvalidUserToken")))
        // S3 answers reported while not subscribed change nothing.
        #expect(table.next(.activatedUnsubscribed(checksLeft: 0), .s3CredentialsRejected(code: "ExpiredToken")).rejection != nil)
    }

    @Test("expired key asks for a new key and keeps the old set and state",
          arguments: [ActivationState.subscribed, .activatedUnsubscribed(checksLeft: 0),
                      .expiredNeedsReactivation(.tokenExpired)])
    func failedReactivation(previous: ActivationState) throws {
        let start = try #require(table.accepted(previous, .reactivate(key: Fixtures.otherKey)))
        #expect(start.to == .reactivating(previous: previous))
        #expect(start.effects == [.replaceSet(key: Fixtures.otherKey)])
        for failure in [ActivationEvent.activationFailed(Fixtures.expiredKey), .storeFailed(message: "read-only")] {
            let back = try #require(table.accepted(start.to, failure))
            #expect(back.to == previous)
            #expect(!back.effects.contains(.deleteStoredSet))
        }
    }

    @Test("a reactivation that fails while polling resumes the polling schedule")
    func failedReactivationResumesPolling() throws {
        let back = try #require(table.accepted(.reactivating(previous: .activatedUnsubscribed(checksLeft: 2)),
                                               .activationFailed(Fixtures.throttled)))
        #expect(back.to == .activatedUnsubscribed(checksLeft: 2))
        #expect(back.timers == [.stateTimeout(after: .seconds(30), sending: .pollDue)])
    }

    @Test("a successful reactivation moves on only once its effect has stored the set, and never deletes")
    func successfulReactivation() throws {
        let state = ActivationState.reactivating(previous: .subscribed)
        // The replaceSet effect activates and stores as one step; a bare activation result is not accepted.
        #expect(table.accepted(state, .activationSucceeded(Fixtures.credentials(2))) == nil)
        let stored = try #require(table.accepted(state, .setStored(expiresIn: .seconds(60))))
        #expect(stored.to == .activatedUnsubscribed(checksLeft: 3))
        #expect(stored.effects == [.verifySubscription])
    }

    @Test("the token deadline expires every state holding a set, and a reactivation's fallback")
    func deadline() {
        for state in [ActivationState.activatedUnsubscribed(checksLeft: 1), .verifying(.launch, attempt: 2), .subscribed,
                      .refreshingToken] {
            #expect(table.next(state, .tokenExpired).state == .expiredNeedsReactivation(.tokenExpired))
        }
        #expect(table.next(.reactivating(previous: .subscribed), .tokenExpired).state
                == .reactivating(previous: .expiredNeedsReactivation(.tokenExpired)))
    }

    @Test("sign-out deletes the set and cancels the deadline; it waits for an activation in flight")
    func signOut() throws {
        let step = try #require(table.accepted(.subscribed, .signOut))
        #expect(step.to == .signingOut)
        #expect(table.next(.signingOut, .storedSetDeleted).state == .unactivated)
        #expect(table.next(.signingOut, .deleteFailed(message: "busy")).state == .unactivated)
        #expect(table.next(.signingOut, .activate(key: Fixtures.key)).rejection != nil)
        #expect(step.effects == [.deleteStoredSet])
        #expect(step.timers == [.cancel(ActivationStateMachine.tokenExpiryTimer)])
        #expect(table.next(.activating, .signOut).rejection != nil)
        #expect(table.next(.reactivating(previous: .subscribed), .signOut).rejection != nil)
    }

    @Test("only subscribed holds a set and lets S3 through; activation needs the right state")
    func guards() {
        #expect(table.next(.subscribed, .activate(key: Fixtures.key)).rejection != nil)
        #expect(table.next(.unactivated, .reactivate(key: Fixtures.key)).rejection != nil)
        #expect(ActivationState.expiredNeedsReactivation(.credentialsMissing).holdsCredentialSet == false)
        #expect(ActivationState.reactivating(previous: .subscribed).holdsCredentialSet)
    }

    @Test("activation keys are checked on the client, never echoed", arguments: ["", "  ", "ADMAY7-DVLJ", String(repeating: "A", count: 65)])
    func malformedKey(text: String) {
        #expect(throws: LicenseServiceInputError.self) { try ActivationKey(text) }
        do { _ = try ActivationKey(text) } catch { #expect(!String(describing: error).contains("DVLJ")) }
    }

    @Test("keys are trimmed and upper-cased; descriptions redact keys and secrets")
    func normalisedKey() throws {
        let key = try ActivationKey("  admay7dvljtwhj76mmbmqyt5lata\n")
        #expect(key.value == "ADMAY7DVLJTWHJ76MMBMQYT5LATA")
        #expect(!String(describing: key).contains("ADMAY"))
        #expect(!String(describing: Fixtures.credentials(1)).contains("secret1"))
        #expect(!String(describing: ActivationEvent.activate(key: key)).contains("ADMAY"))
    }
}
