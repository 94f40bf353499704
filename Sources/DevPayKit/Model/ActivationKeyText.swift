/// The client-side check of an activation key (protocol doc §1): trimmed, upper-cased, 1–64 characters of
/// `A–Z` and `0–9`; anything else is refused before a network call. The key is never stored or logged.
public struct ActivationKeyText: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The longest key accepted (published keys have 28 characters; the API allows 30 and may grow).
    public static let maximumLength = 64

    /// The normalised key, as sent to the License Service.
    public let value: String

    /// Normalises and checks `text`.
    ///
    /// - Throws: ``DevPayLifecycleError/malformedActivationKey(reason:)`` (the reason never echoes the key).
    public init(_ text: String) throws(DevPayLifecycleError) {
        let trimmed = text.trimmingWhitespace().uppercased()
        guard !trimmed.isEmpty else { throw .malformedActivationKey(reason: "the key is empty") }
        guard trimmed.unicodeScalars.count <= Self.maximumLength else {
            throw .malformedActivationKey(reason: "the key is longer than \(Self.maximumLength) characters")
        }
        if let position = trimmed.unicodeScalars.firstIndex(where: { !Self.allowed($0) }) {
            let offset = trimmed.unicodeScalars.distance(from: trimmed.unicodeScalars.startIndex, to: position)
            throw .malformedActivationKey(reason: "character \(offset + 1) is not A–Z or 0–9")
        }
        value = trimmed
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    public var description: String { "ActivationKey(\(value.count) characters, redacted)" }

    /// `dump` and debuggers show the redacted ``description`` only.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
