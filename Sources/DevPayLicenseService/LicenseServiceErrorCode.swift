/// An error code the License Service answers with: every code the DevPay guide documents, and any other
/// kept verbatim as ``unknown(_:)`` so nothing is lost.
public enum LicenseServiceErrorCode: Sendable, Hashable, CustomStringConvertible {
    // Action errors.
    /// The activation key is more than an hour old.
    case expiredActivationKey
    /// The activation key belongs to another product.
    case incorrectActivationKey
    /// The activation key is malformed.
    case invalidActivationKey
    /// The product token is invalid for the signer.
    case invalidProductToken
    /// The user token is invalid.
    case invalidUserToken
    /// The request has no product token.
    case missingProductToken
    /// The request has no user token.
    case missingUserToken
    /// The customer's sign-up payment failed: the subscription is pending.
    case userNotSubscribed
    // Common errors.
    /// Access was refused.
    case accessDenied
    /// The service had an internal fault.
    case internalError
    /// The Access Key ID is unknown.
    case invalidAccessKeyId
    /// The client token (Access Key ID) is unknown.
    case invalidClientTokenId
    /// A parameter has a value the service refuses.
    case invalidParameterValue
    /// A required parameter is missing.
    case missingParameter
    /// The `Version` parameter is malformed.
    case malformedVersion
    /// The `Version` parameter names no known version.
    case noSuchVersion
    /// The request's timestamp is too old (or `Expires` has passed).
    case requestExpired
    /// Too many requests: throttled.
    case requestThrottled
    /// The request was not sent over HTTPS.
    case requiresSSL
    /// The signature does not match the one the service computed.
    case signatureDoesNotMatch
    /// The service is unavailable for now.
    case serviceUnavailable
    /// A code the guide does not document, kept as sent.
    case unknown(String)

    private static let documented: [(String, LicenseServiceErrorCode)] = [
        ("ExpiredActivationKey", .expiredActivationKey),
        ("IncorrectActivationKey", .incorrectActivationKey),
        ("InvalidActivationKey", .invalidActivationKey),
        ("InvalidProductToken", .invalidProductToken),
        ("InvalidUserToken", .invalidUserToken),
        ("MissingProductToken", .missingProductToken),
        ("MissingUserToken", .missingUserToken),
        ("UserNotSubscribed", .userNotSubscribed),
        ("AccessDenied", .accessDenied),
        ("InternalError", .internalError),
        ("InvalidAccessKeyId", .invalidAccessKeyId),
        ("InvalidClientTokenId", .invalidClientTokenId),
        ("InvalidParameterValue", .invalidParameterValue),
        ("MissingParameter", .missingParameter),
        ("MalformedVersion", .malformedVersion),
        ("NoSuchVersion", .noSuchVersion),
        ("RequestExpired", .requestExpired),
        ("RequestThrottled", .requestThrottled),
        ("RequiresSSL", .requiresSSL),
        ("SignatureDoesNotMatch", .signatureDoesNotMatch),
        ("ServiceUnavailable", .serviceUnavailable),
    ]

    /// The common errors that say a SOAP request itself was malformed (kept as ``unknown(_:)``, since they are
    /// only ever answered to SOAP): sending it again unchanged cannot help, so they ask for a bug report.
    public static let soapRequestCodes: Set<String> = [
        "SoapBodyMissing", "SoapEnvelopeMissing", "SoapEnvelopeParseError", "UnknownEnvelopeNamespace",
        "MissingSOAPRequestInfo",
    ]

    /// Every documented code, in the guide's order.
    public static let allDocumented: [LicenseServiceErrorCode] = documented.map(\.1)

    /// The code for the wire text `code` (matched exactly, as the service spells it).
    public init(_ code: String) {
        self = Self.documented.first { $0.0 == code }?.1 ?? .unknown(code)
    }

    /// The code as the service spells it.
    public var rawValue: String {
        if case .unknown(let code) = self { return code }
        return Self.documented.first { $0.1 == self }!.0
    }

    public var description: String { rawValue }

    /// Whether the code means the service is shedding load (`RequestThrottled`, `ServiceUnavailable`): retry
    /// with the throttling backoff.
    public var isThrottling: Bool { self == .requestThrottled || self == .serviceUnavailable }

    /// Whether the code is a passing fault on the service's side (`InternalError`): retry with the transient backoff.
    public var isTransient: Bool { self == .internalError }

    /// What the product must do, per the DevPay guide (and `docs/license-service.md` where it is silent).
    /// `party` decides for unknown codes: an unknown `Receiver` fault is the service's and worth a retry.
    public func requiredAction(party: LicenseServiceFaultParty?) -> LicenseServiceRequiredAction {
        switch self {
        case .expiredActivationKey, .incorrectActivationKey, .invalidActivationKey:
            .getNewActivationKey(activateURL: DevPayWebPages.activate)
        case .invalidProductToken, .missingProductToken:
            .fixProductToken(developerPageURL: DevPayWebPages.developerActivity)
        case .invalidUserToken, .missingUserToken, .accessDenied, .invalidAccessKeyId, .invalidClientTokenId,
             .signatureDoesNotMatch:
            .reactivate(activateURL: DevPayWebPages.activate)
        case .userNotSubscribed:
            .fixPayment(billingURL: DevPayWebPages.billing)
        case .internalError, .requestThrottled, .serviceUnavailable:
            .retryLater(after: nil)
        case .requestExpired:
            .correctClockAndRetry
        case .invalidParameterValue, .missingParameter, .malformedVersion, .noSuchVersion, .requiresSSL:
            .reportBug
        case .unknown(let code) where Self.soapRequestCodes.contains(code):
            .reportBug
        case .unknown:
            party == .receiver ? .retryLater(after: nil) : .undetermined
        }
    }
}
