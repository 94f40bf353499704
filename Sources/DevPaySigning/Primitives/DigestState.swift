import CDevPayOpenSSL

/// A running hash whose whole state is a plain value: copying it forks the hash without touching the heap.
///
/// This is what lets ``HMACKey`` keep precomputed inner and outer states and reuse them for every MAC.
protocol DigestState: Sendable {
    /// Bytes per compression block (the HMAC pad length).
    static var blockSize: Int { get }
    /// Bytes in the finished digest.
    static var digestSize: Int { get }
    /// A fresh state, as if nothing had been hashed yet.
    init()
    /// Feeds `count` bytes at `bytes`.
    mutating func update(_ bytes: UnsafeRawPointer?, count: Int)
    /// Writes ``digestSize`` bytes to `output`; the state is spent afterwards.
    mutating func finish(into output: UnsafeMutableRawPointer)
}

extension DigestState {
    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        update(buffer.baseAddress, count: buffer.count)
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }
}

/// SHA-256 as a copyable value.
struct SHA256State: DigestState {
    static var blockSize: Int { 64 }
    static var digestSize: Int { 32 }

    private var context = SHA256_CTX()

    init() {
        devpay_sha256_init(&context)
    }

    mutating func update(_ bytes: UnsafeRawPointer?, count: Int) {
        devpay_sha256_update(&context, bytes, count)
    }

    mutating func finish(into output: UnsafeMutableRawPointer) {
        devpay_sha256_final(&context, output.assumingMemoryBound(to: UInt8.self))
    }
}

/// SHA-1 as a copyable value (HMAC-SHA1 of SigV1 and S3 SigV2 only).
struct SHA1State: DigestState {
    static var blockSize: Int { 64 }
    static var digestSize: Int { 20 }

    private var context = SHA_CTX()

    init() {
        devpay_sha1_init(&context)
    }

    mutating func update(_ bytes: UnsafeRawPointer?, count: Int) {
        devpay_sha1_update(&context, bytes, count)
    }

    mutating func finish(into output: UnsafeMutableRawPointer) {
        devpay_sha1_final(&context, output.assumingMemoryBound(to: UInt8.self))
    }
}
