extension [UInt8] {
    /// Appends the UTF-8 bytes of `string` with one copy when the string is contiguous (native strings are).
    @inline(__always)
    mutating func appendUTF8(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            append(contentsOf: string.utf8)
        }
    }

    /// Appends the bytes of a static ASCII literal.
    @inline(__always)
    mutating func appendLiteral(_ literal: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Compares `self[lhs]` and `self[rhs]` as unsigned bytes: negative, zero or positive.
    func compareRanges(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Int {
        withUnsafeBufferPointer { bytes in
            let common = Swift.min(lhs.count, rhs.count)
            for offset in 0..<common {
                let left = bytes[lhs.lowerBound + offset]
                let right = bytes[rhs.lowerBound + offset]
                if left != right { return Int(left) - Int(right) }
            }
            return lhs.count - rhs.count
        }
    }

    /// Whether `self[range]` equals `literal`.
    func rangeEquals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        return withUnsafeBufferPointer { bytes in
            for offset in 0..<range.count where bytes[range.lowerBound + offset] != literal.utf8Start[offset] {
                return false
            }
            return true
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are exactly `literal`'s.
    @inline(__always)
    func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        for offset in 0..<count where self[offset] != literal.utf8Start[offset] { return false }
        return true
    }
}

extension String {
    /// Runs `body` over the UTF-8 bytes, copying only when the string is not contiguous.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(utf8).withUnsafeBufferPointer(body)
    }
}
