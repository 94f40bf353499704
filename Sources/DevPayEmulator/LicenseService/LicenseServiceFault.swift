/// A License Service error answer: the documented `Code`, its `Type`, a message and the HTTP status.
///
/// The protocol records no status per code; the emulator uses 400 for the sender's mistakes, 403 for
/// authentication failures and 5xx for its own, and clients are expected to classify by `Code`.
struct LicenseServiceFault: Error, Equatable, Sendable {
    enum Kind: String, Sendable { case sender = "Sender", receiver = "Receiver" }

    var code: String
    var message: String
    var kind: Kind = .sender
    var status: Int = 400

    static func expiredActivationKey() -> Self {
        Self(code: "ExpiredActivationKey", message: "The activation key has expired; get a new one at the activate URL.")
    }
    static func incorrectActivationKey() -> Self {
        Self(code: "IncorrectActivationKey", message: "The activation key does not correspond to the product token.")
    }
    static func invalidActivationKey() -> Self {
        Self(code: "InvalidActivationKey", message: "The activation key is invalid or malformed.")
    }
    static func invalidProductToken() -> Self {
        Self(code: "InvalidProductToken", message: "The product token is invalid for the signer.")
    }
    static func invalidUserToken(_ why: String) -> Self { Self(code: "InvalidUserToken", message: why) }
    static func missing(_ code: String, _ parameter: String) -> Self {
        Self(code: code, message: "The request must contain the parameter \(parameter).")
    }
    static func missingParameter(_ parameter: String) -> Self { missing("MissingParameter", parameter) }
    static func userNotSubscribed() -> Self {
        Self(code: "UserNotSubscribed", message: "The customer's sign-up payment failed; the subscription is pending.")
    }
    static func invalidAccessKeyID() -> Self {
        Self(code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.",
             status: 403)
    }
    static func signatureDoesNotMatch() -> Self {
        Self(code: "SignatureDoesNotMatch",
             message: "The request signature we calculated does not match the signature you provided.", status: 403)
    }
    static func requestExpired(_ why: String) -> Self { Self(code: "RequestExpired", message: why, status: 400) }
    static func invalidParameterValue(_ why: String) -> Self { Self(code: "InvalidParameterValue", message: why) }
    static func invalidAction(_ action: String) -> Self {
        Self(code: "InvalidAction", message: "The action \(action) is not valid for this web service.")
    }
    static func noSuchVersion(_ version: String) -> Self {
        Self(code: "NoSuchVersion", message: "An incorrect version was specified in the request: \(version).")
    }
    static func serviceUnavailable() -> Self {
        Self(code: "ServiceUnavailable", message: "The service is temporarily unavailable; retry.",
             kind: .receiver, status: 503)
    }
}
