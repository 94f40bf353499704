import DevPayStateMachine

/// The rules of ``ActivationStateMachine``, grouped by phase. Each group is one concern of docs/protocol.md §5.
extension ActivationStateMachine {
    typealias MachineRule = Rule<ActivationStateMachine>

    /// Launch: read the stored set, then check the subscription once (unless the app asked for no check).
    var launchRules: [MachineRule] {
        let checksAtLaunch = checksAtLaunch
        return [
            Rule(from: .restoring, on: .restore, to: [.restoring]) { _, _ in .stay(effects: [.loadStoredSet]) },
            Rule(from: .restoring, on: .storedSetFound,
                 to: [checksAtLaunch ? .verifying : .subscriptionUnknown, .expiredNeedsReactivation]) { _, event in
                guard case .storedSetFound(let expiresIn) = event else { return .stay() }
                if let expiresIn, expiresIn <= .zero {
                    return .to(.expiredNeedsReactivation(.tokenExpired))
                }
                guard checksAtLaunch else {
                    return .to(.subscriptionUnknown(.launch, attempt: 0), timers: Self.expiryTimers(expiresIn))
                }
                return .to(
                    .verifying(.launch, attempt: 1), effects: [.verifySubscription],
                    timers: Self.expiryTimers(expiresIn))
            },
            Rule(from: .restoring, on: .storedSetMissing, to: State.unactivated),
            Rule(from: .restoring, on: .storedSetUnreadable, to: State.expiredNeedsReactivation(.credentialsMissing)),
            // The store could not be read at all: nothing is known, nothing is lost; read it again later.
            Rule(from: .restoring, on: .storeUnavailable, to: State.restoring,
                 timers: [.stateTimeout(after: recheck.delay(afterAttempt: 1), sending: .restore)],
                 reentry: .reset),
        ]
    }

    /// Activation: call the service, store the new set, then start polling the subscription.
    var activationRules: [MachineRule] {
        [
            Rule(from: .unactivated, on: .activate, to: [.activating]) { _, event in
                guard case .activate(let key) = event else { return .stay() }
                return .to(.activating, effects: [.callActivate(key: key)])
            },
            Rule(from: .activating, on: .activationSucceeded, to: [.activating]) { _, event in
                guard case .activationSucceeded(let credentials) = event else { return .stay() }
                return .stay(effects: [.storeSet(credentials)])
            },
            // A reactivation's effect stores the set itself (under the store's lock), so it ends with setStored.
            Rule(from: .activating, on: .activationFailed, to: State.unactivated),
            Rule(from: .activating, on: .storeFailed, to: State.unactivated),
            Rule(from: [.activating, .reactivating], on: .setStored, to: [.activatedUnsubscribed]) { _, event in
                guard case .setStored(let expiresIn) = event else { return .stay() }
                return .to(
                    .activatedUnsubscribed(checksLeft: polling.checks), effects: [.verifySubscription],
                    timers: Self.expiryTimers(expiresIn))
            },
        ]
    }

    /// Activated but not subscribed: one check per interval until subscribed or the checks run out.
    var pollingRules: [MachineRule] {
        let countDown = countDown
        return [
            Rule(from: .activatedUnsubscribed, on: .pollDue, to: [.activatedUnsubscribed]) { _, _ in
                .stay(effects: [.verifySubscription])
            },
            Rule(from: .activatedUnsubscribed, on: .verifySubscription, to: [.activatedUnsubscribed]) { _, _ in
                .stay(effects: [.verifySubscription])
            },
            Rule(from: .activatedUnsubscribed, on: .subscriptionChecked, to: [.subscribed, .activatedUnsubscribed]) {
                state, event in
                if case .subscriptionChecked(true) = event { return .to(.subscribed) }
                return countDown(state)
            },
            Rule(from: .activatedUnsubscribed, on: .verificationFailed, to: [.expiredNeedsReactivation],
                 when: Self.credentialsRejected, Self.expireForRejection),
            // A passing failure counts as one check: the schedule's interval is the backoff.
            Rule(from: .activatedUnsubscribed, on: .verificationFailed, to: [.activatedUnsubscribed]) { state, _ in
                countDown(state)
            },
        ]
    }

    /// Subscription unknown (launch, or S3 denied access): one check at a time. A check that got no answer is
    /// not retried here (the License Service client already retried what a retry can change): the chart waits in
    /// `subscriptionUnknown` and checks again later, by itself or on demand.
    var verifyingRules: [MachineRule] {
        let recheck = recheck
        let checkAgain: @Sendable (State, Event) -> Outcome<ActivationStateMachine> = { state, _ in
            guard case .subscriptionUnknown(let purpose, let attempt) = state else { return .stay() }
            return .to(.verifying(purpose, attempt: attempt + 1), effects: [.verifySubscription])
        }
        return [
            Rule(from: .verifying, on: .subscriptionChecked,
                 to: [.subscribed, .expiredNeedsReactivation, .activatedUnsubscribed]) { state, event in
                guard case .subscriptionChecked(let subscribed) = event, subscribed else {
                    return .to(.activatedUnsubscribed(checksLeft: 0))
                }
                if case .verifying(.accessDenied(let code), _) = state {
                    return .to(.expiredNeedsReactivation(.deniedWhileSubscribed(code: code)))
                }
                return .to(.subscribed)
            },
            Rule(from: .verifying, on: .verificationFailed, to: [.expiredNeedsReactivation],
                 when: Self.credentialsRejected, Self.expireForRejection),
            // Any other failure is no verdict on the customer (no network, TLS, throttling, a fault): the
            // subscription is unknown, never "not subscribed"; check again later.
            Rule(from: .verifying, on: .verificationFailed, to: [.subscriptionUnknown]) { state, _ in
                guard case .verifying(let purpose, let attempt) = state else { return .stay() }
                return .to(
                    .subscriptionUnknown(purpose, attempt: attempt),
                    timers: [.stateTimeout(after: recheck.delay(afterAttempt: attempt), sending: .verificationRetryDue)])
            },
            // A check is already in flight: an on-demand request waits for its answer.
            Rule(from: .verifying, on: .verifySubscription, to: [.verifying]) { _, _ in .stay() },
            Rule(from: .subscriptionUnknown, on: .verificationRetryDue, to: [.verifying], checkAgain),
            Rule(from: .subscriptionUnknown, on: .verifySubscription, to: [.verifying], checkAgain),
        ]
    }

    /// Subscribed: S3 answers and on-demand checks may move the customer out.
    var subscribedRules: [MachineRule] {
        [
            Rule(from: .subscribed, on: .verifySubscription, to: [.subscribed]) { _, _ in
                .stay(effects: [.verifySubscription])
            },
            Rule(from: .subscribed, on: .subscriptionChecked, to: [.subscribed, .activatedUnsubscribed]) { _, event in
                if case .subscriptionChecked(true) = event { return .stay() }
                return .to(.activatedUnsubscribed(checksLeft: 0))
            },
            Rule(from: .subscribed, on: .verificationFailed, to: [.expiredNeedsReactivation],
                 when: Self.credentialsRejected, Self.expireForRejection),
            Rule(from: .subscribed, on: .verificationFailed, to: [.subscribed]) { _, _ in .stay() },
            Rule(from: .subscribed, on: .s3CredentialsRejected, to: [.expiredNeedsReactivation]) { _, event in
                guard case .s3CredentialsRejected(let code) = event else { return .stay() }
                return .to(.expiredNeedsReactivation(.credentialsRejected(code: code)))
            },
            Rule(from: .subscribed, on: .s3AccessDenied, to: [.verifying]) { _, event in
                guard case .s3AccessDenied(let code) = event else { return .stay() }
                return .to(.verifying(.accessDenied(code: code), attempt: 1), effects: [.verifySubscription])
            },
            Rule(from: .subscribed, on: .s3TokenRefreshRequired, to: State.refreshingToken,
                 effects: [.refreshUserToken]),
        ]
    }

    /// `TokenRefreshRequired`: refresh the user token, store the updated set, carry on.
    var refreshRules: [MachineRule] {
        [
            Rule(from: .refreshingToken, on: .tokenRefreshed, to: [.refreshingToken]) { _, event in
                guard case .tokenRefreshed(let credentials) = event else { return .stay() }
                return .stay(effects: [.storeSet(credentials)])
            },
            Rule(from: .refreshingToken, on: .setStored, to: [.subscribed]) { _, event in
                guard case .setStored(let expiresIn) = event else { return .stay() }
                return .to(.subscribed, timers: Self.expiryTimers(expiresIn))
            },
            Rule(from: .refreshingToken, on: .refreshFailed, to: [.expiredNeedsReactivation],
                 when: Self.credentialsRejected, Self.expireForRejection),
            // The old token stays in use; S3 will ask again and the caller sees the error.
            Rule(from: .refreshingToken, on: .refreshFailed, to: State.subscribed),
            Rule(from: .refreshingToken, on: .storeFailed, to: State.subscribed),
        ]
    }

    /// A new key while a set exists: the old set and state stay until the new set is stored.
    var reactivationRules: [MachineRule] {
        let resume = resume
        let resumable: [State.Name] = [.activatedUnsubscribed, .subscriptionUnknown, .subscribed, .expiredNeedsReactivation]
        return [
            Rule(from: resumable, on: .reactivate, to: [.reactivating]) { state, event in
                guard case .reactivate(let key) = event else { return .stay() }
                return .to(.reactivating(previous: state), effects: [.replaceSet(key: key)])
            },
            Rule(from: .reactivating, on: .activationFailed, to: resumable) { state, _ in resume(state) },
            Rule(from: .reactivating, on: .storeFailed, to: resumable) { state, _ in resume(state) },
            // The deadline passed while the new key is tried: if that fails, the old set is expired.
            Rule(from: .reactivating, on: .tokenExpired, to: [.reactivating]) { _, _ in
                .to(.reactivating(previous: .expiredNeedsReactivation(.tokenExpired)))
            },
        ]
    }

    /// The token deadline, and signing out.
    var expiryAndSignOutRules: [MachineRule] {
        [
            Rule(from: [.activatedUnsubscribed, .verifying, .subscriptionUnknown, .subscribed, .refreshingToken], on: .tokenExpired,
                 to: State.expiredNeedsReactivation(.tokenExpired)),
            // Already waiting for a new key for another reason.
            Rule(from: .expiredNeedsReactivation, on: .tokenExpired, to: [.expiredNeedsReactivation]) { _, _ in
                .stay()
            },
            Rule(from: [.unactivated, .activatedUnsubscribed, .verifying, .subscriptionUnknown, .subscribed,
                        .expiredNeedsReactivation],
                 on: .signOut, to: State.signingOut, effects: [.deleteStoredSet],
                 timers: [.cancel(Self.tokenExpiryTimer)]),
            // A new activation waits for the deletion, so the deletion can never remove a newer set.
            Rule(from: .signingOut, on: .storedSetDeleted, to: State.unactivated),
            Rule(from: .signingOut, on: .deleteFailed, to: State.unactivated),
        ]
    }

    // MARK: Helpers shared by several rules

    static let credentialsRejected = Guard<ActivationStateMachine>("credentials rejected") {
        (_: State, event: Event) -> Bool in
        switch event {
        case .verificationFailed(let failure), .refreshFailed(let failure): failure.requiresReactivation
        default: false
        }
    }

    @Sendable static func expireForRejection(_ state: State, _ event: Event) -> Outcome<ActivationStateMachine> {
        switch event {
        case .verificationFailed(let failure), .refreshFailed(let failure):
            .to(.expiredNeedsReactivation(.credentialsRejected(code: failure.code ?? "unknown")))
        default:
            .stay()
        }
    }

    /// Arms the token deadline when the set has one, and cancels any earlier deadline when it has none.
    static func expiryTimers(_ expiresIn: Duration?) -> [TimerCommand<Event>] {
        guard let expiresIn else { return [.cancel(tokenExpiryTimer)] }
        return [.start(tokenExpiryTimer, after: max(expiresIn, .zero), sending: .tokenExpired)]
    }

    /// One check of the schedule is used: wait an interval for the next, unless none are left.
    var countDown: @Sendable (State) -> Outcome<ActivationStateMachine> {
        let interval = polling.interval
        return { state in
            guard case .activatedUnsubscribed(let checksLeft) = state else { return .stay() }
            let left = max(checksLeft - 1, 0)
            let timers: [TimerCommand<Event>] = left > 0 ? [.stateTimeout(after: interval, sending: .pollDue)] : []
            return .to(.activatedUnsubscribed(checksLeft: left), timers: timers)
        }
    }

    /// Back to the state before the reactivation, with its polling or re-check timer if it had one.
    var resume: @Sendable (State) -> Outcome<ActivationStateMachine> {
        let interval = polling.interval
        let recheck = recheck
        return { state in
            guard case .reactivating(let previous) = state else { return .stay() }
            switch previous {
            case .activatedUnsubscribed(let checksLeft) where checksLeft > 0:
                return .to(previous, timers: [.stateTimeout(after: interval, sending: .pollDue)])
            case .subscriptionUnknown(_, let attempt):
                return .to(previous, timers: [
                    .stateTimeout(after: recheck.delay(afterAttempt: attempt), sending: .verificationRetryDue),
                ])
            default:
                return .to(previous)
            }
        }
    }
}
