public import DevPayRetry

/// S3 answered with an error status.
///
/// `code` is S3's error code (`NoSuchKey`, `ExpiredToken`, `RequestTimeTooSkewed`, …) when the answer had an
/// XML body; a `HEAD` answer has none, so only `status` is known. The activation lifecycle turns the code into
/// what the product must do (reactivate, refresh the token, correct the clock, verify the subscription).
public struct S3ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status, e.g. 403.
    public var status: Int
    /// S3's error code, if the answer had a readable error body.
    public var code: String?
    /// S3's human-readable message.
    public var message: String?
    /// S3's request id, for support.
    public var requestID: String?
    /// The server's clock in a `RequestTimeTooSkewed` answer (`ServerTime`, ISO 8601), used to correct skew.
    public var serverTime: String?
    /// The wait the answer asked for (`Retry-After`, `x-amz-retry-after`), if any.
    public var retryHint: ServerRetryHint?

    /// Creates an error from its parts.
    public init(
        status: Int,
        code: String? = nil,
        message: String? = nil,
        requestID: String? = nil,
        serverTime: String? = nil,
        retryHint: ServerRetryHint? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.serverTime = serverTime
        self.retryHint = retryHint
    }

    public var description: String {
        var text = "S3 error \(status)"
        if let code { text += " \(code)" }
        if let message { text += ": \(message)" }
        if let requestID { text += " (request \(requestID))" }
        return text
    }
}

/// Throttling (503 `SlowDown`) and service faults (500 `InternalError`) are retried with backoff; every other
/// S3 error goes to the caller (and, through the lifecycle, to the DevPay rules).
extension S3ServiceError: RetryClassifiable {
    public var retryClassification: RetryClassification {
        .httpResponse(status: status, errorCode: code, hint: retryHint)
    }
}
