/// Writes bytes through a raw pointer into memory whose size the caller reserved up front.
///
/// The signing hot path assembles its texts from dozens of small pieces; appending each to an `Array` pays a
/// uniqueness check, a capacity check and a call per piece. A writer pays one capacity check per text (see
/// `ReusableBytes.write(maxCount:_:)`) and then only stores. Bounds are checked in debug builds only: every
/// caller computes `maxCount` from the lengths it is about to write.
struct ByteWriter {
    private let start: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(start: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.start = start
        self.capacity = capacity
    }

    /// The bytes written from `offset` on (for in-place transformations such as lower-casing).
    @inline(__always)
    func written(from offset: Int) -> UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: start + offset, count: count - offset)
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        assert(count < capacity, "ByteWriter overflow")
        start[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        assert(count + bytes.count <= capacity, "ByteWriter overflow")
        guard let source = bytes.baseAddress else { return }
        (start + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        write(bytes.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    @inline(__always)
    mutating func write(_ literal: StaticString) {
        write(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func write(_ string: String) {
        string.withUTF8Bytes { write($0) }
    }

    /// Runs `write` and returns the range of what it wrote.
    @inline(__always)
    mutating func recording(_ write: (inout ByteWriter) -> Void) -> Range<Int> {
        let start = count
        write(&self)
        return start..<count
    }

    /// `bytes` as lower-case hexadecimal (2 × `bytes.count` bytes): one two-byte load from a table of the
    /// 256 digit pairs and one two-byte store per byte.
    @inline(__always)
    mutating func writeLowerHex(_ bytes: UnsafeRawBufferPointer) {
        assert(count + 2 * bytes.count <= capacity, "ByteWriter overflow")
        let table = UnsafeRawPointer(Self.hexPairs.utf8Start)
        let output = UnsafeMutableRawPointer(start + count)
        for index in 0..<bytes.count {
            let pair = table.loadUnaligned(fromByteOffset: 2 * Int(bytes[index]), as: UInt16.self)
            output.storeBytes(of: pair, toByteOffset: 2 * index, as: UInt16.self)
        }
        count += 2 * bytes.count
    }

    /// `00` `01` … `ff`: the two lower-case hex digits of every byte value, in order.
    private static var hexPairs: StaticString {
        """
            000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\
            202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f\
            404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f\
            606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f\
            808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f\
            a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf\
            c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf\
            e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff
            """
    }

    /// `bytes` as padded standard Base64, RFC 4648 §4 (`ByteEncoding.base64Count(bytes.count)` bytes).
    @inline(__always)
    mutating func writeBase64(_ bytes: UnsafeRawBufferPointer) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        let table = alphabet.utf8Start
        assert(count + ByteEncoding.base64Count(bytes.count) <= capacity, "ByteWriter overflow")
        let output = start + count
        var index = 0
        var written = 0
        while index + 3 <= bytes.count {
            let word = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output[written] = table[Int(word >> 18 & 0x3F)]
            output[written + 1] = table[Int(word >> 12 & 0x3F)]
            output[written + 2] = table[Int(word >> 6 & 0x3F)]
            output[written + 3] = table[Int(word & 0x3F)]
            index += 3
            written += 4
        }
        let remaining = bytes.count - index
        if remaining > 0 {
            let second = remaining == 2 ? UInt32(bytes[index + 1]) << 8 : 0
            let word = UInt32(bytes[index]) << 16 | second
            output[written] = table[Int(word >> 18 & 0x3F)]
            output[written + 1] = table[Int(word >> 12 & 0x3F)]
            output[written + 2] = remaining == 2 ? table[Int(word >> 6 & 0x3F)] : UInt8(ascii: "=")
            output[written + 3] = UInt8(ascii: "=")
            written += 4
        }
        count += written
    }
}

extension [UInt8] {
    /// Appends up to `maxCount` bytes that `write` stores through a ``ByteWriter``, with one capacity check
    /// for the lot.
    @inline(__always)
    mutating func appendWriting(maxCount: Int, _ write: (inout ByteWriter) -> Void) {
        let start = count
        append(contentsOf: repeatElement(0, count: maxCount))
        let written = withUnsafeMutableBufferPointer { buffer in
            var writer = ByteWriter(start: buffer.baseAddress! + start, capacity: maxCount)
            write(&writer)
            return writer.count
        }
        removeLast(maxCount - written)
    }
}

/// A byte buffer for texts rebuilt on every signature: its storage keeps its size between uses, so writing
/// needs neither a zero-fill nor a shrink per use, only one capacity check per ``write(maxCount:_:)``.
struct ReusableBytes {
    private var storage: [UInt8]
    /// Bytes in use.
    private(set) var count = 0

    /// An empty buffer; `capacity` bytes are allocated up front (none for 0).
    init(capacity: Int = 0) {
        storage = Array(repeating: 0, count: capacity)
    }

    var isEmpty: Bool { count == 0 }

    /// Forgets the contents, keeping the storage.
    mutating func removeAll() {
        count = 0
    }

    /// Forgets all but the first `count` bytes.
    mutating func removeAll(keepingFirst count: Int) {
        precondition(count <= self.count, "ReusableBytes: keeping more than it holds")
        self.count = count
    }

    /// Appends up to `maxCount` bytes that `write` stores through a ``ByteWriter``.
    @inline(__always)
    mutating func write(maxCount: Int, _ write: (inout ByteWriter) -> Void) {
        let start = count
        if storage.count - start < maxCount {
            storage.append(contentsOf: repeatElement(0, count: Swift.max(maxCount, storage.count)))
        }
        count = storage.withUnsafeMutableBufferPointer { buffer in
            var writer = ByteWriter(start: buffer.baseAddress! + start, capacity: maxCount)
            write(&writer)
            return start + writer.count
        }
    }

    /// Runs `body` over the bytes in use.
    @inline(__always)
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let count = count
        return storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The bytes in use as text (for inspection, not for the hot path).
    var string: String {
        withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }
}

extension ByteWriter {
    @inline(__always)
    mutating func write(_ bytes: ReusableBytes) {
        bytes.withUnsafeBufferPointer { write($0) }
    }
}
