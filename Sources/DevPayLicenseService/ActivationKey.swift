/// A customer's activation key, checked before it is sent (e.g. `ADMAY7DVLJTWHJ76MMBMQYT5LATA`).
///
/// The key is trimmed of white space and upper-cased, then must be 1–64 characters of `A–Z` and `0–9`:
/// every published key is 28 characters of `A–Z2–7`, the API allows 30 and warns the length may grow, so
/// the check rejects typos without rejecting a longer future key. The key is a secret that is never stored
/// (DevPay guide); ``description`` does not show it.
public struct ActivationKey: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The longest key accepted.
    public static let maximumLength = 64

    /// The normalised key, as sent to the License Service.
    public let value: String

    /// Trims, upper-cases and checks `text`.
    ///
    /// - Throws: ``LicenseServiceInputError`` naming the problem (never echoing the key).
    public init(_ text: String) throws(LicenseServiceInputError) {
        let trimmed = TokenText.trimmingWhitespace(text).uppercased()
        guard !trimmed.isEmpty else { throw .emptyActivationKey }
        let scalars = Array(trimmed.unicodeScalars)
        guard scalars.count <= Self.maximumLength else { throw .activationKeyTooLong(length: scalars.count) }
        if let position = scalars.firstIndex(where: { !(("A"..."Z").contains($0) || ("0"..."9").contains($0)) }) {
            throw .activationKeyInvalidCharacter(position: position)
        }
        value = trimmed
    }

    public var description: String { "ActivationKey(\(value.count) characters, redacted)" }

    /// `dump` and debuggers show the redacted ``description``, never the stored fields.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}
