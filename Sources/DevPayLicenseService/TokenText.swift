/// Checks shared by the DevPay tokens: a literal prefix, then printable characters without white space.
enum TokenText {
    /// Removes white space and newlines from both ends (pasted keys and tokens often carry some).
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else {
            return ""
        }
        return String(scalars[first...last])
    }

    /// Trims `text` and checks that it is `prefix` followed by 1… characters without control characters
    /// (so no line breaks or tabs), `limit` characters in all at most.
    ///
    /// Interior spaces are let through: real tokens are base64 and have none, but the guide's own sample
    /// answer abbreviates its token as `….[long encoded token]...`, and it must parse; the service judges.
    static func validated(_ text: String, prefix: String, limit: Int) throws(LicenseServiceInputError) -> String {
        let trimmed = trimmingWhitespace(text)
        guard trimmed.hasPrefix(prefix) else { throw .tokenMissingPrefix(expected: prefix) }
        let scalars = Array(trimmed.unicodeScalars)
        guard scalars.count > prefix.unicodeScalars.count else { throw .tokenEmpty(prefix: prefix) }
        guard scalars.count <= limit else { throw .tokenTooLong(prefix: prefix, length: scalars.count, limit: limit) }
        if let position = scalars.firstIndex(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029 }) {
            throw .tokenInvalidCharacter(prefix: prefix, position: position)
        }
        return trimmed
    }

    /// How a token shows in logs and descriptions: its prefix and length, never its body.
    static func redacted(_ value: String, prefix: String) -> String {
        "\(prefix)…(\(value.count) characters, redacted)"
    }
}
