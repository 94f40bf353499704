import Foundation

/// The customer's credentials for one product, kept and replaced as one unit (DevPay guide): the user
/// token, the Access Key ID and the Secret Access Key, plus the user token's expiry when the app asked for
/// an expiring token.
///
/// A set cannot be built with an empty part, so "subscribed" can never run on a partial set.
/// `description` shows only the Access Key ID (an identifier, not a secret).
public struct LifecycleCredentials: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The `{UserToken}…` value sent with the product token in `x-amz-security-token`.
    public let userToken: String
    /// The customer's Access Key ID for this product.
    public let accessKeyID: String
    /// The customer's Secret Access Key for this product.
    public let secretAccessKey: String
    /// When the user token expires (`TokenExpiration`), or `nil` when it does not.
    public let tokenExpiresAt: Date?

    /// Builds a complete set.
    ///
    /// - Throws: ``DevPayLifecycleError/incompleteCredentials(missing:)`` naming the first empty part.
    public init(
        userToken: String, accessKeyID: String, secretAccessKey: String, tokenExpiresAt: Date? = nil
    ) throws(DevPayLifecycleError) {
        if userToken.isEmpty { throw .incompleteCredentials(missing: "userToken") }
        if accessKeyID.isEmpty { throw .incompleteCredentials(missing: "accessKeyID") }
        if secretAccessKey.isEmpty { throw .incompleteCredentials(missing: "secretAccessKey") }
        self.userToken = userToken
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.tokenExpiresAt = tokenExpiresAt
    }

    /// The same set with a new user token (after `RefreshUserToken`).
    public func replacingUserToken(_ token: String) throws(DevPayLifecycleError) -> LifecycleCredentials {
        try LifecycleCredentials(
            userToken: token, accessKeyID: accessKeyID, secretAccessKey: secretAccessKey,
            tokenExpiresAt: tokenExpiresAt)
    }

    public var description: String {
        "LifecycleCredentials(accessKeyID: \(accessKeyID), userToken: <redacted>, secretAccessKey: <redacted>)"
    }

    /// `dump` and debuggers show the redacted ``description`` only.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}
