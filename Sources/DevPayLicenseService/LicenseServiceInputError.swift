/// Why the client refused to send a request: an input is malformed. Nothing was sent.
///
/// No case carries the offending value: activation keys and tokens are secrets, so errors name the problem
/// and at most a length or a position.
public enum LicenseServiceInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The activation key is empty once white space is trimmed.
    case emptyActivationKey
    /// The activation key is longer than ``ActivationKey/maximumLength`` characters.
    case activationKeyTooLong(length: Int)
    /// The activation key has a character outside `A–Z` and `0–9` at `position` (0-based, after trimming).
    case activationKeyInvalidCharacter(position: Int)
    /// The text does not start with the literal prefix every such token has (`{ProductToken}`, `{UserToken}`).
    case tokenMissingPrefix(expected: String)
    /// The token is only its prefix.
    case tokenEmpty(prefix: String)
    /// The token has a control character or line break at `position` (0-based).
    case tokenInvalidCharacter(prefix: String, position: Int)
    /// The token is longer than the protocol allows.
    case tokenTooLong(prefix: String, length: Int, limit: Int)
    /// The customer's Access Key ID or Secret Access Key is empty or holds white space or control characters.
    case invalidCustomerKey(name: String)
    /// The requested user-token lifetime is not a positive whole number of seconds.
    case invalidTokenExpiration
    /// The injected wall clock gave a time a SigV1 `Timestamp` cannot express (before 1970 or past 9999).
    case clockOutOfRange

    public var description: String {
        switch self {
        case .emptyActivationKey:
            "the activation key is empty"
        case .activationKeyTooLong(let length):
            "the activation key has \(length) characters; at most \(ActivationKey.maximumLength) are accepted"
        case .activationKeyInvalidCharacter(let position):
            "the activation key has a character other than A-Z or 0-9 at position \(position + 1)"
        case .tokenMissingPrefix(let expected):
            "the token does not start with \(expected)"
        case .tokenEmpty(let prefix):
            "the \(prefix) token has nothing after its prefix"
        case .tokenInvalidCharacter(let prefix, let position):
            "the \(prefix) token has a control character or line break at position \(position + 1)"
        case .tokenTooLong(let prefix, let length, let limit):
            "the \(prefix) token has \(length) characters; at most \(limit) are accepted"
        case .invalidCustomerKey(let name):
            "the customer's \(name) is empty or holds white space"
        case .invalidTokenExpiration:
            "the token expiration must be a positive whole number of seconds"
        case .clockOutOfRange:
            "the wall clock is outside the years 1970 to 9999"
        }
    }
}
