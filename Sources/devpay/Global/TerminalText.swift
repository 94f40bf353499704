/// Text that came from a server (an S3 error message, an object key, an answer of the emulator), made safe to
/// print: every control character that could move the cursor, fake an output line, send a terminal escape
/// sequence or reorder what is displayed is written as a visible `\u{…}` instead.
///
/// Escaped: C0 controls (U+0000–U+001F, line breaks and tabs included), DEL (U+007F), C1 controls
/// (U+0080–U+009F, whose U+009B is a one-character escape-sequence introducer) and the bidirectional
/// formatting characters (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069). JSON output is not passed
/// through here: it is data for programs, and JSON already escapes what would break its own lines.
enum TerminalText {
    static func escaped(_ text: some StringProtocol) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E...0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
