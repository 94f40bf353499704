/// Hexadecimal and Base64 text written straight into byte buffers (no Foundation, no intermediate Strings).
enum ByteEncoding {
    /// Appends `bytes` as lower-case hexadecimal.
    static func appendLowerHex(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.appendWriting(maxCount: bytes.count * 2) { $0.writeLowerHex(bytes) }
    }

    /// Bytes in the padded Base64 form of `count` bytes.
    @inline(__always)
    static func base64Count(_ count: Int) -> Int {
        (count + 2) / 3 * 4
    }

    /// Appends `bytes` as padded standard Base64 (RFC 4648 §4).
    static func appendBase64(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.appendWriting(maxCount: base64Count(bytes.count)) { out in
            out.writeBase64(bytes)
        }
    }

    /// Writes `bytes` as padded standard Base64 to `output`, which has room for ``base64Count(_:)`` bytes;
    /// returns that count.
    @discardableResult
    static func writeBase64(_ bytes: UnsafeRawBufferPointer, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var writer = ByteWriter(start: output, capacity: base64Count(bytes.count))
        writer.writeBase64(bytes)
        return writer.count
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
