/// Why a lifecycle call failed. Never holds a secret: keys, tokens and secret keys are not part of any case.
public enum DevPayLifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The activation key failed the client-side check; nothing was sent.
    case malformedActivationKey(reason: String)
    /// A credential set lacked one of its three parts (named).
    case incompleteCredentials(missing: String)
    /// The call is not possible in the current state (for example `reactivate(key:)` while unactivated).
    case notAllowed(action: String, state: ActivationState)
    /// The License Service call failed; ``LicenseServiceFailure/action`` says what to do.
    case licenseService(LicenseServiceFailure)
    /// The credential store could not read or write (the old set, if any, is untouched).
    case credentialStorage(message: String)
    /// The customer is not subscribed: an S3 request was refused (no request was sent), or
    /// ``DevPayLifecycle/waitUntilSubscribed(timeout:)`` gave up in this state.
    case notSubscribed(ActivationState)
    /// S3 answered with an error the lifecycle does not resolve; the request failed.
    case s3(S3ErrorAnswer)
    /// The lifecycle was shut down.
    case shutDown

    public var description: String {
        switch self {
        case .malformedActivationKey(let reason): "malformed activation key: \(reason)"
        case .incompleteCredentials(let part): "credential set is incomplete: \(part) is empty"
        case .notAllowed(let action, let state): "\(action) is not possible while \(state)"
        case .licenseService(let failure): "\(failure)"
        case .credentialStorage(let message): "credential store: \(message)"
        case .notSubscribed(let state): "no S3 request is sent before the customer is subscribed (state: \(state))"
        case .s3(let answer): "\(answer)"
        case .shutDown: "the lifecycle was shut down"
        }
    }
}
