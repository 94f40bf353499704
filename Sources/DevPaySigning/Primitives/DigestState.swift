import CDevPayOpenSSL

/// A running hash whose whole state is a plain value: copying it forks the hash without touching the heap.
///
/// This is what lets ``HMACKey`` keep precomputed inner and outer states and reuse them for every MAC.
protocol DigestState: Sendable {
    /// Bytes in the finished digest (at most 55, so a digest and its padding fit one block).
    static var digestSize: Int { get }
    /// A fresh state, as if nothing had been hashed yet.
    init()
    /// Feeds `count` bytes at `bytes`.
    mutating func update(_ bytes: UnsafeRawPointer?, count: Int)
    /// Writes ``digestSize`` bytes to `output`; the state is spent afterwards.
    mutating func finish(into output: UnsafeMutableRawPointer)
    /// Compresses one 64-byte block that the caller laid out, padding included (see
    /// ``HashBlock/pad(messageCount:totalCount:)``); the byte count is not tracked, so the state can only
    /// be finished with ``writeChainingValue(to:)`` afterwards.
    mutating func compress(_ block: UnsafeRawPointer)
    /// Writes the chaining value as the digest (``digestSize`` big-endian bytes): the hash of everything
    /// compressed so far when the last block carried the padding.
    func writeChainingValue(to output: UnsafeMutableRawPointer)
}

/// SHA-1 and SHA-256 share the block size and the Merkle–Damgård padding.
enum HashBlock {
    /// Bytes per block (also the HMAC pad length).
    static let size = 64
    /// The longest message tail that fits one block with the padding (`0x80` and the 8-byte length).
    static let maxMessageInLastBlock = 55

    /// Pads `block`, whose first `messageCount` bytes are the message's last bytes (at most 55), for a
    /// message of `totalCount` bytes in all: `0x80`, zeros, the bit length big-endian.
    @inline(__always)
    static func pad(_ block: UnsafeMutableRawBufferPointer, messageCount: Int, totalCount: Int) {
        block[messageCount] = 0x80
        for index in (messageCount + 1)..<56 { block[index] = 0 }
        block.storeBytes(of: UInt64(totalCount * 8).bigEndian, toByteOffset: 56, as: UInt64.self)
    }
}

extension DigestState {
    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        update(buffer.baseAddress, count: buffer.count)
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }
}

/// SHA-256 as a copyable value.
struct SHA256State: DigestState {
    static var digestSize: Int { 32 }

    private var context = SHA256_CTX()

    init() {
        devpay_sha256_init(&context)
    }

    @inline(__always)
    mutating func update(_ bytes: UnsafeRawPointer?, count: Int) {
        devpay_sha256_update(&context, bytes, count)
    }

    mutating func finish(into output: UnsafeMutableRawPointer) {
        devpay_sha256_final(&context, output.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    mutating func compress(_ block: UnsafeRawPointer) {
        devpay_sha256_block(&context, block)
    }

    @inline(__always)
    func writeChainingValue(to output: UnsafeMutableRawPointer) {
        withUnsafeBytes(of: context.h) { words in
            for index in 0..<8 {
                let word = words.load(fromByteOffset: 4 * index, as: UInt32.self)
                output.storeBytes(of: word.bigEndian, toByteOffset: 4 * index, as: UInt32.self)
            }
        }
    }
}

/// SHA-1 as a copyable value (HMAC-SHA1 of SigV1 and S3 SigV2 only).
struct SHA1State: DigestState {
    static var digestSize: Int { 20 }

    private var context = SHA_CTX()

    init() {
        devpay_sha1_init(&context)
    }

    @inline(__always)
    mutating func update(_ bytes: UnsafeRawPointer?, count: Int) {
        devpay_sha1_update(&context, bytes, count)
    }

    mutating func finish(into output: UnsafeMutableRawPointer) {
        devpay_sha1_final(&context, output.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    mutating func compress(_ block: UnsafeRawPointer) {
        devpay_sha1_block(&context, block)
    }

    @inline(__always)
    func writeChainingValue(to output: UnsafeMutableRawPointer) {
        let words = (context.h0, context.h1, context.h2, context.h3, context.h4)
        output.storeBytes(of: words.0.bigEndian, toByteOffset: 0, as: UInt32.self)
        output.storeBytes(of: words.1.bigEndian, toByteOffset: 4, as: UInt32.self)
        output.storeBytes(of: words.2.bigEndian, toByteOffset: 8, as: UInt32.self)
        output.storeBytes(of: words.3.bigEndian, toByteOffset: 12, as: UInt32.self)
        output.storeBytes(of: words.4.bigEndian, toByteOffset: 16, as: UInt32.self)
    }
}
