import DevPayStateMachine

/// Where a product's activation stands. Apps observe it through ``DevPayLifecycle/states``.
///
/// Four states are stable: ``unactivated``, ``activatedUnsubscribed(checksLeft:)``, ``subscribed`` and
/// ``expiredNeedsReactivation(_:)``; ``subscriptionUnknown(_:attempt:)`` rests until its re-check is due. The
/// others are transient: the lifecycle is waiting for the credential
/// store or the License Service and leaves them by itself. Only ``subscribed`` lets S3 requests through.
public enum ActivationState: MachineState {
    /// Launch: the stored credential set (and its token deadline) is being read.
    case restoring
    /// No credentials: the customer must enter an activation key.
    case unactivated
    /// First activation: `ActivateDesktopProduct` is in flight, then the new set is being stored.
    case activating
    /// Credentials are stored but the customer is not (yet) subscribed, for example while the card is
    /// vetted. `checksLeft` subscription checks remain on the polling schedule (one every interval); at 0
    /// the lifecycle waits for the next launch or an on-demand ``DevPayLifecycle/verifySubscription()``.
    case activatedUnsubscribed(checksLeft: Int)
    /// The subscription is unknown and being checked (at launch, or after S3 denied access); `attempt`
    /// counts tries against passing failures.
    case verifying(VerificationPurpose, attempt: Int)
    /// The lifecycle holds a set but does not know whether the customer is subscribed: S3 stays closed.
    /// `attempt` counts the checks that got no answer (no network, name resolution, TLS, throttling after the
    /// client's own retries); after each, the check is made again by itself after a capped, jittered delay
    /// (``RecheckSchedule``). `attempt` 0: no check was made, because the app started the lifecycle without
    /// one (``LifecycleConfiguration/checksSubscriptionAtLaunch``). ``DevPayLifecycle/verifySubscription()``
    /// checks at once.
    case subscriptionUnknown(VerificationPurpose, attempt: Int)
    /// The customer is subscribed: S3 requests go out with the current credentials.
    case subscribed
    /// S3 asked for a refreshed user token: `RefreshUserToken` is in flight, then the set is stored.
    case refreshingToken
    /// The credentials can no longer be used; a new activation key is needed. The old set, if any, is kept
    /// until a new one is stored.
    case expiredNeedsReactivation(ReactivationReason)
    /// A new activation key is being used while an old set exists; on failure the lifecycle returns to
    /// `previous` with the old set untouched.
    indirect case reactivating(previous: ActivationState)
    /// The customer signed out: the stored set is being deleted.
    case signingOut

    /// The payload-free name of a state, as the transition table and diagrams use it.
    public enum Name: String, CaseIterable, Sendable, Hashable {
        case restoring, unactivated, activating, activatedUnsubscribed, verifying, subscriptionUnknown, subscribed
        case refreshingToken
        case expiredNeedsReactivation, reactivating, signingOut
    }

    /// This state's name.
    public var name: Name {
        switch self {
        case .restoring: .restoring
        case .unactivated: .unactivated
        case .activating: .activating
        case .activatedUnsubscribed: .activatedUnsubscribed
        case .verifying: .verifying
        case .subscriptionUnknown: .subscriptionUnknown
        case .subscribed: .subscribed
        case .refreshingToken: .refreshingToken
        case .expiredNeedsReactivation: .expiredNeedsReactivation
        case .reactivating: .reactivating
        case .signingOut: .signingOut
        }
    }

    /// Whether the lifecycle holds a stored credential set in this state (it may still be unusable).
    public var holdsCredentialSet: Bool {
        switch self {
        case .restoring, .unactivated, .activating, .signingOut: false
        case .expiredNeedsReactivation(let reason): reason != .credentialsMissing
        case .reactivating(let previous): previous.holdsCredentialSet
        case .activatedUnsubscribed, .verifying, .subscriptionUnknown, .subscribed, .refreshingToken: true
        }
    }
}

/// Why the subscription is being checked in ``ActivationState/verifying(_:attempt:)``.
public enum VerificationPurpose: Sendable, Hashable {
    /// The app started with a stored set (docs/protocol.md §3: apps verify when they open).
    case launch
    /// S3 denied access (`code`): not subscribed means the customer lapsed; still subscribed means the
    /// credentials are bad and must be replaced.
    case accessDenied(code: String)
}

/// Why ``ActivationState/expiredNeedsReactivation(_:)`` was entered.
public enum ReactivationReason: Sendable, Hashable {
    /// The user token's `TokenExpiration` deadline passed.
    case tokenExpired
    /// The stored set is missing a part or could not be read.
    case credentialsMissing
    /// The License Service or S3 rejected the credentials (`code`: for example `InvalidUserToken`,
    /// `ExpiredToken`, a repeated `SignatureDoesNotMatch`).
    case credentialsRejected(code: String)
    /// S3 denied access (`code`) although the License Service says the customer is subscribed.
    case deniedWhileSubscribed(code: String)
}
