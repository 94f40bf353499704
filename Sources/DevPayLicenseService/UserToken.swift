/// The customer's user token: `{UserToken}` followed by an opaque base64 string, new on every activation.
///
/// The DevPay guide says to allot 1,024 characters; the check allows four times that so a longer future
/// token still works. ``description`` shows the prefix and length only.
public struct UserToken: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The literal prefix every user token has.
    public static let prefix = "{UserToken}"
    /// The longest token accepted.
    public static let maximumLength = 4096

    /// The token, trimmed of surrounding white space.
    public let value: String

    /// Trims and checks `text`.
    ///
    /// - Throws: ``LicenseServiceInputError`` naming the problem (never echoing the token).
    public init(_ text: String) throws(LicenseServiceInputError) {
        value = try TokenText.validated(text, prefix: Self.prefix, limit: Self.maximumLength)
    }

    public var description: String { TokenText.redacted(value, prefix: Self.prefix) }

    /// `dump` and debuggers show the redacted ``description``, never the stored fields.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}
