/// Hexadecimal and Base64 text written straight into byte buffers (no Foundation, no intermediate Strings).
enum ByteEncoding {
    private static let base64Alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
    )

    /// Appends `bytes` as lower-case hexadecimal.
    static func appendLowerHex(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.appendWriting(maxCount: bytes.count * 2) { $0.writeLowerHex(bytes) }
    }

    /// Appends `bytes` as padded standard Base64 (RFC 4648 §4).
    static func appendBase64(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        base64Alphabet.withUnsafeBufferPointer { alphabet in
            var index = 0
            while index + 3 <= bytes.count {
                let word = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                output.append(alphabet[Int(word >> 18 & 0x3F)])
                output.append(alphabet[Int(word >> 12 & 0x3F)])
                output.append(alphabet[Int(word >> 6 & 0x3F)])
                output.append(alphabet[Int(word & 0x3F)])
                index += 3
            }
            let remaining = bytes.count - index
            if remaining == 1 {
                let word = UInt32(bytes[index]) << 16
                output.append(alphabet[Int(word >> 18 & 0x3F)])
                output.append(alphabet[Int(word >> 12 & 0x3F)])
                output.append(UInt8(ascii: "="))
                output.append(UInt8(ascii: "="))
            } else if remaining == 2 {
                let word = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
                output.append(alphabet[Int(word >> 18 & 0x3F)])
                output.append(alphabet[Int(word >> 12 & 0x3F)])
                output.append(alphabet[Int(word >> 6 & 0x3F)])
                output.append(UInt8(ascii: "="))
            }
        }
    }

    /// The value of one hexadecimal digit, either case, or nil.
    static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
