/// One header field as it is sent: name and value. Order and repetition are kept, because repeated fields
/// are signed joined by commas in their original order.
public struct HTTPHeader: Sendable, Hashable {
    /// The field name; matched case-insensitively.
    public var name: String
    /// The field value as sent.
    public var value: String

    /// A field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Whether `name` equals this field's name, ignoring ASCII case.
    func hasName(_ other: String) -> Bool {
        name.utf8.count == other.utf8.count
            && zip(name.utf8, other.utf8).allSatisfy { ASCII.lowercased($0) == ASCII.lowercased($1) }
    }
}

extension [HTTPHeader] {
    /// The first value of the field `name` (case-insensitive), if present.
    func firstValue(named name: String) -> String? {
        first { $0.hasName(name) }?.value
    }

    /// Drops every field named `name` (case-insensitive).
    mutating func removeAll(named name: String) {
        removeAll { $0.hasName(name) }
    }
}

/// ASCII classification used by header and method validation.
enum ASCII {
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// RFC 9110 `tchar`: the characters of a header name or method.
    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Whitespace that SigV4's trim-all folds: space, tab, CR, LF.
    @inline(__always)
    static func isFoldableSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    static func isToken(_ text: String) -> Bool {
        text.withUTF8Bytes { bytes in
            guard !bytes.isEmpty else { return false }
            for byte in bytes where !isTokenCharacter(byte) { return false }
            return true
        }
    }

    /// Throws unless `header` has a token name and a value of visible ASCII, spaces and tabs, where CR/LF
    /// appear only as obsolete line folding (followed by a space or tab).
    static func validate(_ header: HTTPHeader) throws(SigningError) {
        guard isToken(header.name) else { throw .invalidHeaderName(header.name) }
        guard isValidValue(header.value) else { throw .invalidHeaderValue(headerName: header.name) }
    }

    /// Whether `value` is visible ASCII, spaces and tabs, with CR/LF only as obsolete line folding.
    static func isValidValue(_ value: String) -> Bool {
        value.withUTF8Bytes { bytes in
            var previousWasLineBreak = false
            for byte in bytes {
                if previousWasLineBreak, byte != 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return false }
                switch byte {
                case 0x20...0x7E, 0x09: previousWasLineBreak = false
                case 0x0D, 0x0A: previousWasLineBreak = true
                default: return false
                }
            }
            return !previousWasLineBreak
        }
    }
}
