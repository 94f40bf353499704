/// The set ActivateDesktopProduct returns for one customer and one product: the user token, the customer's
/// Access Key ID and Secret Access Key. They work only together: if one is lost, the product activates again
/// for a whole new set.
///
/// ``description`` (and so string interpolation and logging) shows the Access Key ID only.
public struct CustomerCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The customer's user token, sent with every S3 request beside the product token.
    public var userToken: UserToken
    /// The customer's Access Key ID (works only for DevPay calls of this product).
    public let accessKeyID: String
    /// The customer's Secret Access Key, which signs License Service and S3 requests.
    public let secretAccessKey: String

    /// Checks and keeps a set, e.g. one read back from storage.
    ///
    /// - Throws: ``LicenseServiceInputError/invalidCustomerKey(name:)`` when a key is empty or holds white space.
    public init(userToken: UserToken, accessKeyID: String, secretAccessKey: String) throws(LicenseServiceInputError) {
        guard Self.isPlausibleKey(accessKeyID) else { throw .invalidCustomerKey(name: "Access Key ID") }
        guard Self.isPlausibleKey(secretAccessKey) else { throw .invalidCustomerKey(name: "Secret Access Key") }
        self.userToken = userToken
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    public var description: String {
        "CustomerCredentials(accessKeyID: \(accessKeyID), userToken: \(userToken), secretAccessKey: redacted)"
    }

    public var debugDescription: String { description }

    private static func isPlausibleKey(_ key: String) -> Bool {
        !key.isEmpty && key.unicodeScalars.count <= 1024
            && !key.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
    }

    /// `dump` and debuggers show the redacted ``description``, never the stored fields.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}
