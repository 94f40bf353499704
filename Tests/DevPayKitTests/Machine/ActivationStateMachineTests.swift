import DevPayLicenseService
import DevPayKit
import DevPayStateMachine
import Testing

@Suite("Activation state machine, stepped purely")
struct ActivationStateMachineTests {
    let machine = ActivationStateMachine(
        polling: PollingSchedule(every: .seconds(30), for: .seconds(90)),
        recheck: RecheckSchedule(firstDelay: .seconds(2), maximumDelay: .seconds(60), jitterSeed: 42))
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

    @Test("a check without an answer is not retried in place: the chart waits, re-checks later with a growing jittered delay, and never gives up")
    func checkWithoutAnswer() throws {
        let recheck = machine.recheck
        var state = ActivationState.verifying(.launch, attempt: 1)
        var previousCeiling = Duration.zero
        for attempt in 1...8 {
            let failed = try #require(table.accepted(state, .verificationFailed(Fixtures.throttled)))
            #expect(failed.to == .subscriptionUnknown(.launch, attempt: attempt))
            #expect(failed.effects.isEmpty, "a failed check is not repeated at once")
            let delay = recheck.delay(afterAttempt: attempt)
            #expect(failed.timers == [.stateTimeout(after: delay, sending: .verificationRetryDue)])
            let ceiling = min(recheck.firstDelay * (1 << (attempt - 1)), recheck.maximumDelay)
            #expect(delay >= ceiling / 2 && delay < ceiling, "attempt \(attempt): \(delay) outside [\(ceiling / 2), \(ceiling))")
            #expect(ceiling >= previousCeiling)
            previousCeiling = ceiling
            let due = try #require(table.accepted(failed.to, .verificationRetryDue))
            #expect(due.to == .verifying(.launch, attempt: attempt + 1))
            #expect(due.effects == [.verifySubscription])
            state = due.to
        }
        #expect(table.next(.subscriptionUnknown(.launch, attempt: 3), .verifySubscription).state
                == .verifying(.launch, attempt: 4), "on demand, the check is made at once")
        #expect(table.next(.verifying(.launch, attempt: 1), .verificationFailed(Fixtures.badProductToken)).state
                == .subscriptionUnknown(.launch, attempt: 1), "no verdict on the customer is never 'not subscribed'")
    }

    @Test("the re-check's jitter is fixed by the seed and differs between seeds")
    func recheckJitter() {
        let one = RecheckSchedule(firstDelay: .seconds(30), maximumDelay: .seconds(900), jitterSeed: 1)
        let again = RecheckSchedule(firstDelay: .seconds(30), maximumDelay: .seconds(900), jitterSeed: 1)
        let other = RecheckSchedule(firstDelay: .seconds(30), maximumDelay: .seconds(900), jitterSeed: 2)
        let attempts = 1...12
        #expect(attempts.map(one.delay(afterAttempt:)) == attempts.map(again.delay(afterAttempt:)))
        #expect(attempts.map(one.delay(afterAttempt:)) != attempts.map(other.delay(afterAttempt:)))
        #expect(attempts.allSatisfy { one.delay(afterAttempt: $0) < .seconds(900) })
        #expect(one.delay(afterAttempt: 12) >= .seconds(450))
    }

    @Test("without a launch check a found set waits unknown, with its deadline armed, until asked")
    func launchWithoutCheck() throws {
        let quiet = ActivationStateMachine(checksAtLaunch: false)
        let found = try #require(quiet.table.accepted(.restoring, .storedSetFound(expiresIn: .seconds(60))))
        #expect(found.to == .subscriptionUnknown(.launch, attempt: 0))
        #expect(found.effects.isEmpty)
        #expect(found.timers == [.start(ActivationStateMachine.tokenExpiryTimer, after: .seconds(60), sending: .tokenExpired)])
        #expect(quiet.table.next(found.to, .verifySubscription).state == .verifying(.launch, attempt: 1))
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
        for state in [ActivationState.activatedUnsubscribed(checksLeft: 1), .verifying(.launch, attempt: 2),
                      .subscriptionUnknown(.launch, attempt: 1), .subscribed, .refreshingToken] {
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
