/// What the product must do after a License Service call failed: the DevPay guide's "action to take".
///
/// Every error of this module maps to one (``LicenseServiceError/requiredAction``), so the lifecycle and the
/// app's UI switch over this enum instead of over error codes.
public enum LicenseServiceRequiredAction: Sendable, Hashable, CustomStringConvertible {
    /// The activation key is expired, malformed or for another product: send the customer to `activateURL`
    /// for a new key, ask for it, and call ActivateDesktopProduct again.
    case getNewActivationKey(activateURL: String)
    /// The product token embedded in the app is wrong: a bug in the app, not the customer's fault. The
    /// developer checks the token under View Product Details at `developerPageURL`.
    case fixProductToken(developerPageURL: String)
    /// The stored credentials are unusable (bad user token, unknown or corrupted keys): reactivate with a
    /// new activation key from `activateURL`, then replace the stored set.
    case reactivate(activateURL: String)
    /// The customer's sign-up payment failed and the subscription is pending: send the customer to
    /// `billingURL` to fix the payment, then verify the subscription again.
    case fixPayment(billingURL: String)
    /// The service is throttling or had a passing fault: wait and send the same request again
    /// (after `after` when the service said how long).
    case retryLater(after: Duration?)
    /// The service cannot be reached as configured: its certificate is not trusted (untrusted CA, expired,
    /// another host name) or its URL is refused. Retrying cannot help; fix the trusted CAs or the endpoint.
    case fixConnectionSettings
    /// The request's timestamp was outside the service's window: correct the clock offset, then retry.
    case correctClockAndRetry
    /// The request itself is wrong (a missing or bad parameter, a version the service does not know):
    /// a bug in the client or the app; the same request will fail again.
    case reportBug
    /// No documented action exists for this error: keep its code and message, show them, and retry on demand.
    case undetermined

    public var description: String {
        switch self {
        case .getNewActivationKey(let url): "get a new activation key at \(url) and activate again"
        case .fixProductToken(let url): "fix the product token embedded in the app (see \(url))"
        case .reactivate(let url): "reactivate with a new activation key from \(url)"
        case .fixPayment(let url): "the customer must fix the payment at \(url)"
        case .retryLater(let after?): "wait \(after) and retry"
        case .retryLater(nil): "wait and retry"
        case .fixConnectionSettings: "fix the trusted CAs or the endpoint; retrying will not help"
        case .correctClockAndRetry: "correct the clock and retry"
        case .reportBug: "report a bug: the request is malformed"
        case .undetermined: "no documented action; show the error"
        }
    }
}
