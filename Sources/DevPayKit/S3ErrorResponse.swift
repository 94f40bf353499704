/// What the activation lifecycle does when S3 answers a signed request with an error.
///
/// The mapping follows docs/protocol.md §5; it is the one place an S3 error code turns into a
/// lifecycle decision.
public enum S3ErrorResponse: Sendable, Hashable {
    /// The credentials are dead: get a new activation key and activate again.
    case reactivate
    /// Call `RefreshUserToken`, then retry the request once.
    case refreshUserTokenThenRetry
    /// Retry once; if the same error comes back, reactivate.
    case retryOnceThenReactivate
    /// Correct the clock offset from the server's time and retry; never reactivate for this.
    case correctClockSkewThenRetry
    /// Ask the License Service whether the customer is still subscribed.
    case verifySubscription
    /// A service fault: retry with backoff.
    case retryWithBackoff
    /// Not a credentials problem: hand the error to the caller.
    case reportToCaller

    /// The action for an S3 error `code` (for example `ExpiredToken`) and HTTP `status`.
    public init(code: String?, status: Int) {
        switch code {
        case "ExpiredToken", "InvalidToken", "InvalidAccessKeyId", "InvalidSecurity":
            self = .reactivate
        case "TokenRefreshRequired":
            self = .refreshUserTokenThenRetry
        case "SignatureDoesNotMatch":
            self = .retryOnceThenReactivate
        case "RequestTimeTooSkewed":
            self = .correctClockSkewThenRetry
        case "AccessDenied", "AllAccessDisabled", "AccountProblem", "NotSignedUp", "InvalidPayer":
            self = .verifySubscription
        case "InternalError", "SlowDown", "ServiceUnavailable":
            self = .retryWithBackoff
        default:
            self = [500, 503].contains(status) ? .retryWithBackoff : .reportToCaller
        }
    }
}
