/// The product token embedded in the app: `{ProductToken}` followed by an opaque base64 string.
///
/// It is checked before any request so a mis-pasted token fails at once with a clear error rather than as
/// `InvalidProductToken` from the service. ``description`` shows the prefix and length only: the token is
/// what lets anyone bill requests to the product.
public struct ProductToken: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The literal prefix every product token has.
    public static let prefix = "{ProductToken}"
    /// The longest token accepted (today's tokens are a few hundred characters).
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
