/// An error that knows how a retry policy should treat it.
///
/// Conform your client's error type once and every ``RetryEngine`` classifies it without a closure:
///
/// ```swift
/// extension LicenseServiceError: RetryClassifiable {
///     var retryClassification: RetryClassification {
///         switch self {
///         case .service(let status, let code, let hint): .httpResponse(status: status, errorCode: code, hint: hint)
///         case .timeout: .timeout
///         default: .permanent
///         }
///     }
/// }
/// ```
public protocol RetryClassifiable: Error {
    /// How a retry policy should treat this error.
    var retryClassification: RetryClassification { get }
}
