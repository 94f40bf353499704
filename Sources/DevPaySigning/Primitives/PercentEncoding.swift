/// RFC 3986 percent-encoding as AWS signatures use it: only the unreserved set (`A–Z a–z 0–9 - . _ ~`) stays
/// bare, every other byte of the UTF-8 form becomes `%XX` with upper-case hex.
public enum PercentEncoding {
    /// Whether `byte` is in RFC 3986's unreserved set.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// `value` with every byte outside the unreserved set percent-encoded, e.g. `{UserToken}a+b=` becomes
    /// `%7BUserToken%7Da%2Bb%3D`. This is the encoding for License Service query values and SigV4 query
    /// parameters.
    public static func encode(_ value: String) -> String {
        var output = [UInt8]()
        output.reserveCapacity(value.utf8.count)
        append(value.utf8, to: &output, keepingSlash: false)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `bytes` encoded; `keepingSlash` leaves `/` bare (the SigV4 path rule).
    static func append(_ bytes: some Collection<UInt8>, to output: inout [UInt8], keepingSlash: Bool) {
        output.appendWriting(maxCount: bytes.count * 3) { write(bytes, to: &$0, keepingSlash: keepingSlash) }
    }

    /// Writes `bytes` encoded (at most 3 × `bytes.count` bytes); `keepingSlash` leaves `/` bare.
    @inline(__always)
    static func write(_ bytes: some Collection<UInt8>, to output: inout ByteWriter, keepingSlash: Bool) {
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                output.write(byte)
            } else {
                writeEscape(byte, to: &output)
            }
        }
    }

    @inline(__always)
    private static func writeEscape(_ byte: UInt8, to output: inout ByteWriter) {
        output.write(UInt8(ascii: "%"))
        output.write(upperHexDigit(byte >> 4))
        output.write(upperHexDigit(byte & 0x0F))
    }

    @inline(__always)
    private static func upperHexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") - 10 + nibble
    }

    /// Appends the canonical form of an already-encoded query component: escapes are decoded, then
    /// everything is encoded again, so `%7e` becomes `~`, a raw `ሴ` becomes `%E1%88%B4` and `+` (a literal
    /// plus, not a space, in S3's reading) becomes `%2B`. A `%` not followed by two hex digits is a literal.
    static func appendCanonicalQueryComponent(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.appendWriting(maxCount: bytes.count * 3) { out in
            var index = 0
            while index < bytes.count {
                var byte = bytes[index]
                if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                    let high = ByteEncoding.hexValue(bytes[index + 1]),
                    let low = ByteEncoding.hexValue(bytes[index + 2])
                {
                    byte = high << 4 | low
                    index += 3
                } else {
                    index += 1
                }
                if isUnreserved(byte) { out.write(byte) } else { writeEscape(byte, to: &out) }
            }
        }
    }

    /// Percent-decodes `bytes`; a `%` not followed by two hex digits is kept literally.
    static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = ByteEncoding.hexValue(bytes[index + 1]), let low = ByteEncoding.hexValue(bytes[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
