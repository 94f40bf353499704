import Foundation

/// The customer's credentials for one product, kept and replaced as one unit: the user token, the Access
/// Key ID and the Secret Access Key, plus when they were obtained.
///
/// DevPay treats the three parts as inseparable: if one is missing, the product must activate again and get
/// a whole new set. This type cannot be built with an empty part, and the store never writes a partial set.
/// `description` shows the Access Key ID (an identifier, not a secret) and redacts the token and the secret.
public struct CredentialSet: Sendable, Equatable, CustomStringConvertible {
    /// The `{UserToken}…` value sent as `x-amz-security-token` with the product token.
    public let userToken: SecretText
    /// The customer's Access Key ID for this product.
    public let accessKeyID: String
    /// The customer's Secret Access Key for this product.
    public let secretAccessKey: SecretText
    /// When the License Service returned this set.
    public let activatedAt: Date
    /// When the user token expires, if the app asked for an expiring token; `nil` otherwise.
    public let tokenExpiresAt: Date?

    /// Builds a set; every part must be non-empty.
    ///
    /// Dates are kept to the millisecond, the precision the store records.
    /// - Throws: ``CredentialSetError/missingPart(_:)`` naming the first empty part.
    public init(
        userToken: SecretText,
        accessKeyID: String,
        secretAccessKey: SecretText,
        activatedAt: Date,
        tokenExpiresAt: Date? = nil
    ) throws(CredentialSetError) {
        if userToken.utf8Count == 0 { throw .missingPart(.userToken) }
        if accessKeyID.isEmpty { throw .missingPart(.accessKeyID) }
        if secretAccessKey.utf8Count == 0 { throw .missingPart(.secretAccessKey) }
        self.userToken = userToken
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.activatedAt = Date(unixMilliseconds: activatedAt.unixMilliseconds)
        self.tokenExpiresAt = tokenExpiresAt.map { Date(unixMilliseconds: $0.unixMilliseconds) }
    }

    /// Convenience for the License Service client's string results. The `String` arguments are ordinary Swift
    /// strings and are not wiped (see ``SecretText``).
    public init(
        userToken: String,
        accessKeyID: String,
        secretAccessKey: String,
        activatedAt: Date,
        tokenExpiresAt: Date? = nil
    ) throws(CredentialSetError) {
        try self.init(
            userToken: SecretText(userToken),
            accessKeyID: accessKeyID,
            secretAccessKey: SecretText(secretAccessKey),
            activatedAt: activatedAt,
            tokenExpiresAt: tokenExpiresAt
        )
    }

    public var description: String {
        var text = "CredentialSet(accessKeyID: \(accessKeyID), userToken: <redacted>, secretAccessKey: <redacted>"
        text += ", activatedAt: \(activatedAt.unixMilliseconds) ms"
        if let tokenExpiresAt { text += ", tokenExpiresAt: \(tokenExpiresAt.unixMilliseconds) ms" }
        return text + ")"
    }
}

/// One of the three parts of a ``CredentialSet``.
public enum CredentialPart: String, Sendable, Hashable, CaseIterable {
    /// The `{UserToken}…` value.
    case userToken
    /// The Access Key ID.
    case accessKeyID
    /// The Secret Access Key.
    case secretAccessKey
}

/// Why a ``CredentialSet`` could not be built.
public enum CredentialSetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The named part is empty: the set is incomplete and must not be stored.
    case missingPart(CredentialPart)

    public var description: String {
        switch self {
        case .missingPart(let part): "credential set is incomplete: \(part.rawValue) is empty"
        }
    }
}

extension Date {
    /// Milliseconds since 1970, the unit records store.
    var unixMilliseconds: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }

    init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }
}
