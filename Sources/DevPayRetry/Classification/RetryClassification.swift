/// What a retry policy needs to know about one failed attempt.
///
/// Produced by a ``RetryErrorClassifier`` (or by an error that conforms to ``RetryClassifiable``) and handed to
/// the pure schedule: the class picks the backoff base, `isTimeout` the retry quota's price, and the hint, if
/// the server sent one, stretches the computed delay.
public struct RetryClassification: Sendable, Hashable {
    /// Throttling, transient or permanent.
    public var errorClass: RetryErrorClass
    /// The attempt timed out on our side; a retry after a timeout costs more of the retry quota.
    public var isTimeout: Bool
    /// When the server said to come back (`Retry-After`, `x-amz-retry-after`), if it did.
    public var hint: ServerRetryHint?

    /// Creates a classification.
    public init(_ errorClass: RetryErrorClass, isTimeout: Bool = false, hint: ServerRetryHint? = nil) {
        self.errorClass = errorClass
        self.isTimeout = isTimeout
        self.hint = hint
    }

    /// The service asked us to slow down.
    public static let throttling = RetryClassification(.throttling)
    /// A fault that usually goes away, such as a connection reset.
    public static let transient = RetryClassification(.transient)
    /// A connect or total timeout of our own transport: transient, and priced as a timeout by the quota.
    public static let timeout = RetryClassification(.transient, isTimeout: true)
    /// Retrying cannot help.
    public static let permanent = RetryClassification(.permanent)

    /// Classifies an HTTP error answer from its status code and, when the body carried one, the service's
    /// error code (`<Code>` in AWS XML errors).
    ///
    /// A known error code wins over the status (S3 answers `400 RequestTimeout`, some services
    /// `400 Throttling`); otherwise the status decides.
    public static func httpResponse(
        status: Int,
        errorCode: String? = nil,
        hint: ServerRetryHint? = nil
    ) -> RetryClassification {
        let errorClass = errorCode.flatMap(errorClass(forServiceErrorCode:)) ?? errorClass(forHTTPStatus: status)
        return RetryClassification(errorClass, hint: hint)
    }

    /// The class of an HTTP status: 503 and 429 are throttling, 500/502/504 transient, everything else
    /// permanent.
    ///
    /// 429 (Too Many Requests, RFC 6585) is not in the AWS list but means the same as 503 throttling.
    public static func errorClass(forHTTPStatus status: Int) -> RetryErrorClass {
        switch status {
        case 429, 503: .throttling
        case 500, 502, 504: .transient
        default: .permanent
        }
    }

    /// The class of an AWS error code, or `nil` when the code says nothing about retrying (then the HTTP
    /// status decides).
    public static func errorClass(forServiceErrorCode code: String) -> RetryErrorClass? {
        switch code {
        case "RequestThrottled", "SlowDown", "ServiceUnavailable":
            return .throttling
        case "InternalError", "RequestTimeout":
            return .transient
        default:
            return code.hasPrefix("Throttling") ? .throttling : nil
        }
    }
}
