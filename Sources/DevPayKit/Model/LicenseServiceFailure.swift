public import DevPayHTTP

/// A License Service call that failed, classified by what the lifecycle must do about it.
///
/// The License Service client adapter maps its own errors onto ``Action`` (the DevPay guide's "action to
/// take"); the lifecycle switches over it and never over error codes. The service's code and message are
/// kept as data so unknown codes are never lost.
public struct LicenseServiceFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the product must do.
    public enum Action: Sendable, Hashable {
        /// The activation key is expired, malformed or for another product: ask for a new key.
        case getNewActivationKey
        /// The stored credentials are unusable (bad user token, unknown or corrupted keys): reactivate.
        case reactivate
        /// The product token embedded in the app is wrong: a bug in the app.
        case fixProductToken
        /// Throttling, a passing fault or no answer: try again later.
        case retryLater(after: Duration?)
        /// The service cannot be reached as configured (its certificate is not trusted, its URL is refused):
        /// retrying cannot help; ``LicenseServiceFailure/connection`` says what failed.
        case fixConnectionSettings
        /// The request's time was outside the service's window: correct the clock and retry.
        case correctClockAndRetry
        /// The request itself is malformed: a bug; the same request will fail again.
        case reportBug
        /// No documented action.
        case undetermined
    }

    /// What the product must do.
    public var action: Action
    /// The service's error code, when it answered with one (for example `ExpiredActivationKey`).
    public var code: String?
    /// A human-readable explanation without secrets.
    public var message: String
    /// Why no answer arrived, when none did (name resolution, no route, TLS, timeout): the call's
    /// transport failure after the client's own retries.
    public var connection: HTTPClientError?

    /// Creates a failure.
    public init(action: Action, code: String? = nil, message: String, connection: HTTPClientError? = nil) {
        self.action = action
        self.code = code
        self.message = message
        self.connection = connection
    }

    /// Whether the failure means the stored credentials are dead and only a new activation helps.
    public var requiresReactivation: Bool { action == .reactivate }

    /// Whether trying the same call again later may succeed.
    public var isTemporary: Bool {
        switch action {
        case .retryLater, .correctClockAndRetry: true
        default: false
        }
    }

    public var description: String {
        "License Service failure \(code ?? "(no code)"): \(message)"
    }
}
