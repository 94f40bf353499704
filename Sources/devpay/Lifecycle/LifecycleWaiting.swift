import DevPayKit

extension DevPayLifecycle {
    /// The first stable state (unactivated, activated-unsubscribed, subscribed, expired): where a one-shot
    /// command can read the answer once the launch check is over.
    func settledState() async -> ActivationState {
        for await state in await states where state.isStable { return state }
        return await state
    }

    /// Waits until `predicate` holds for the state, or `timeout` passes; returns the last state seen.
    func waitForState(
        timeout: Duration, where predicate: @escaping @Sendable (ActivationState) -> Bool
    ) async -> ActivationState {
        let states = await states
        return await withTaskGroup(of: ActivationState?.self) { group in
            group.addTask {
                for await state in states where predicate(state) { return state }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            return await self.state
        }
    }
}

extension ActivationState {
    /// Whether the lifecycle rests here until something happens (the other states pass by themselves;
    /// `subscriptionUnknown` rests until its next background check).
    var isStable: Bool {
        switch name {
        case .unactivated, .activatedUnsubscribed, .subscriptionUnknown, .subscribed, .expiredNeedsReactivation: true
        default: false
        }
    }

    /// A short phrase for people, e.g. "activated, waiting for the subscription (39 checks left)".
    var phrase: String {
        switch self {
        case .restoring: "reading the stored credentials"
        case .unactivated: "not activated"
        case .activating: "activating"
        case .activatedUnsubscribed(let checksLeft):
            checksLeft > 0
                ? "activated, subscription pending (\(checksLeft) checks left)"
                : "activated, not subscribed (checks again on demand)"
        case .verifying(.launch, let attempt): "checking the subscription (attempt \(attempt))"
        case .verifying(.accessDenied(let code), let attempt): "checking the subscription after S3 said \(code) (attempt \(attempt))"
        case .subscriptionUnknown(_, attempt: 0): "activated, subscription not checked (--verify checks it)"
        case .subscriptionUnknown(_, let attempt):
            "subscription unknown: \(attempt) check\(attempt == 1 ? "" : "s") got no answer; checking again in the background"
        case .subscribed: "subscribed"
        case .refreshingToken: "refreshing the user token"
        case .expiredNeedsReactivation(let reason): "needs a new activation key (\(reason.phrase))"
        case .reactivating: "reactivating"
        case .signingOut: "signing out"
        }
    }
}

extension ReactivationReason {
    var phrase: String {
        switch self {
        case .tokenExpired: "the user token expired"
        case .credentialsMissing: "the stored credentials are missing or unreadable"
        case .credentialsRejected(let code): "the credentials were rejected: \(code)"
        case .deniedWhileSubscribed(let code): "S3 denied access while subscribed: \(code)"
        }
    }
}
