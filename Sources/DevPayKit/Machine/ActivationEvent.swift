import DevPayLicenseService
import DevPayStateMachine

/// What the activation machine reacts to: calls from the app, results of the effects it asked for, timers
/// and S3 answers reported by the request gate.
///
/// Events may carry secrets (an activation key, a credential set); they stay inside the lifecycle and are
/// published only by name (``DevPayLifecycle/transitions``). Their descriptions never show a secret.
public enum ActivationEvent: MachineEvent, Equatable {
    /// Launch: read the stored set.
    case restore
    /// The store holds a complete set; `expiresIn` is the time left on its user token, if it expires.
    case storedSetFound(expiresIn: Duration?)
    /// Nothing is stored for this product.
    case storedSetMissing
    /// A record exists but is unreadable or incomplete (it is quarantined by the store).
    case storedSetUnreadable
    /// The store itself could not be read (permissions, I/O): whatever it holds is kept and read again later;
    /// this is never a reason to ask for a new key.
    case storeUnavailable(message: String)
    /// The customer entered an activation key (first activation).
    case activate(key: ActivationKey)
    /// The customer entered a new activation key while a set exists.
    case reactivate(key: ActivationKey)
    /// `ActivateDesktopProduct` answered with a new set.
    case activationSucceeded(LifecycleCredentials)
    /// `ActivateDesktopProduct` failed.
    case activationFailed(LicenseServiceFailure)
    /// A set is durably stored (replacing the previous one); `expiresIn` as for ``storedSetFound(expiresIn:)``.
    case setStored(expiresIn: Duration?)
    /// Storing a set failed; the previous set is untouched.
    case storeFailed(message: String)
    /// The app asked to check the subscription now.
    case verifySubscription
    /// The polling schedule's interval elapsed.
    case pollDue
    /// The wait before another subscription check (``ActivationState/subscriptionUnknown(_:attempt:)``) elapsed.
    case verificationRetryDue
    /// `VerifyProductSubscriptionByTokens` answered.
    case subscriptionChecked(subscribed: Bool)
    /// `VerifyProductSubscriptionByTokens` failed.
    case verificationFailed(LicenseServiceFailure)
    /// The user token's `TokenExpiration` deadline passed.
    case tokenExpired
    /// S3 answered that the credentials are invalid or expired (`ExpiredToken`, `InvalidToken`, …).
    case s3CredentialsRejected(code: String)
    /// S3 answered `TokenRefreshRequired`.
    case s3TokenRefreshRequired
    /// S3 denied access (`AccessDenied`, `NotSignedUp`, …): check the subscription.
    case s3AccessDenied(code: String)
    /// `RefreshUserToken` answered; the set with the new token.
    case tokenRefreshed(LifecycleCredentials)
    /// `RefreshUserToken` failed.
    case refreshFailed(LicenseServiceFailure)
    /// The customer signed out: forget the stored set.
    case signOut
    /// The stored set is deleted.
    case storedSetDeleted
    /// Deleting the stored set failed (it may be read again at the next launch).
    case deleteFailed(message: String)

    /// The payload-free name of an event.
    public enum Name: String, CaseIterable, Sendable, Hashable {
        case restore, storedSetFound, storedSetMissing, storedSetUnreadable, storeUnavailable, activate, reactivate
        case activationSucceeded, activationFailed, setStored, storeFailed, verifySubscription, pollDue
        case verificationRetryDue, subscriptionChecked, verificationFailed, tokenExpired, s3CredentialsRejected
        case s3TokenRefreshRequired, s3AccessDenied, tokenRefreshed, refreshFailed, signOut
        case storedSetDeleted, deleteFailed
    }

    /// This event's name.
    public var name: Name {
        switch self {
        case .restore: .restore
        case .storedSetFound: .storedSetFound
        case .storedSetMissing: .storedSetMissing
        case .storedSetUnreadable: .storedSetUnreadable
        case .storeUnavailable: .storeUnavailable
        case .activate: .activate
        case .reactivate: .reactivate
        case .activationSucceeded: .activationSucceeded
        case .activationFailed: .activationFailed
        case .setStored: .setStored
        case .storeFailed: .storeFailed
        case .verifySubscription: .verifySubscription
        case .pollDue: .pollDue
        case .verificationRetryDue: .verificationRetryDue
        case .subscriptionChecked: .subscriptionChecked
        case .verificationFailed: .verificationFailed
        case .tokenExpired: .tokenExpired
        case .s3CredentialsRejected: .s3CredentialsRejected
        case .s3TokenRefreshRequired: .s3TokenRefreshRequired
        case .s3AccessDenied: .s3AccessDenied
        case .tokenRefreshed: .tokenRefreshed
        case .refreshFailed: .refreshFailed
        case .signOut: .signOut
        case .storedSetDeleted: .storedSetDeleted
        case .deleteFailed: .deleteFailed
        }
    }

    /// The error this event reports to the app, if it is a failure.
    public var failure: DevPayLifecycleError? {
        switch self {
        case .activationFailed(let failure), .verificationFailed(let failure), .refreshFailed(let failure):
            .licenseService(failure)
        case .storeFailed(let message), .deleteFailed(let message), .storeUnavailable(let message):
            .credentialStorage(message: message)
        default:
            nil
        }
    }
}

/// The work a transition asks for, performed by ``DevPayLifecycle`` outside the pure machine.
public enum ActivationEffect: Sendable, Equatable {
    /// Read the stored set and its token deadline.
    case loadStoredSet
    /// Call `ActivateDesktopProduct` with the key (never stored).
    case callActivate(key: ActivationKey)
    /// Replace the held set: call `ActivateDesktopProduct` with the key and store the new set as one step, under
    /// the store's lock, unless another process has already replaced the set (then adopt that one).
    case replaceSet(key: ActivationKey)
    /// Store the set, replacing the previous one atomically: the old set is gone only once the new one is
    /// durable, so a failed store leaves the old set as it was.
    case storeSet(LifecycleCredentials)
    /// Call `VerifyProductSubscriptionByTokens` with the current set.
    case verifySubscription
    /// Call `RefreshUserToken` with the current set.
    case refreshUserToken
    /// Delete the stored set (sign-out).
    case deleteStoredSet
}
