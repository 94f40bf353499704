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

    /// `bytes` as lower-case hexadecimal (2 × `bytes.count` bytes).
    @inline(__always)
    mutating func writeLowerHex(_ bytes: UnsafeRawBufferPointer) {
        assert(count + 2 * bytes.count <= capacity, "ByteWriter overflow")
        let digits: StaticString = "0123456789abcdef"
        let table = digits.utf8Start
        let output = start + count
        for index in 0..<bytes.count {
            let byte = bytes[index]
            output[2 * index] = table[Int(byte >> 4)]
            output[2 * index + 1] = table[Int(byte & 0x0F)]
        }
        count += 2 * bytes.count
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
