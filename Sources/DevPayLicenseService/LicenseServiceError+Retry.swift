public import DevPayRetry
import DevPayHTTP

extension LicenseServiceError: RetryClassifiable {
    /// How the retry engine treats a failed attempt: classified by error code first (the status per code is
    /// not on record), by HTTP status only for unknown codes and unreadable answers.
    public var retryClassification: RetryClassification {
        switch self {
        case .service(let response):
            let hint = response.retryAfter.map(ServerRetryHint.init(delay:))
            let code = response.primary.code
            if code.isThrottling { return RetryClassification(.throttling, hint: hint) }
            if code.isTransient { return RetryClassification(.transient, hint: hint) }
            if case .unknown = code { return .httpResponse(status: response.httpStatus, hint: hint) }
            return .permanent
        case .throttled(_, let retryAfter):
            return RetryClassification(.throttling, hint: retryAfter.map(ServerRetryHint.init(delay:)))
        case .unexpectedResponse(let status, _):
            return .httpResponse(status: status)
        case .transport(let error):
            return error.retryClassification
        case .invalidInput, .circuitOpen:
            return .permanent
        }
    }
}
