/// An HMAC key with its inner and outer hash states precomputed (RFC 2104).
///
/// Hashing the padded key costs two compression blocks; doing it once per key instead of once per MAC is
/// what makes a cached SigV4 signing key or a SigV1 secret cheap to reuse.
struct HMACKey<Digest: DigestState>: Sendable {
    private var inner = Digest()
    private var outer = Digest()

    init(key: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(byteCount: Digest.blockSize, alignment: 8) { block in
            block.initializeMemory(as: UInt8.self, repeating: 0)
            if key.count > Digest.blockSize {
                var hashed = Digest()
                hashed.update(key)
                hashed.finish(into: block.baseAddress!)
            } else if key.count > 0 {
                block.baseAddress!.copyMemory(from: key.baseAddress!, byteCount: key.count)
            }
            for index in 0..<Digest.blockSize { block[index] ^= 0x36 }
            inner.update(UnsafeRawBufferPointer(block))
            // 0x36 ^ 0x5c turns the inner pad into the outer pad without keeping the key around.
            for index in 0..<Digest.blockSize { block[index] ^= 0x36 ^ 0x5c }
            outer.update(UnsafeRawBufferPointer(block))
            block.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    init(key: [UInt8]) {
        self = key.withUnsafeBytes { HMACKey(key: $0) }
    }

    init(key: String) {
        var key = key
        self = key.withUTF8 { HMACKey(key: UnsafeRawBufferPointer($0)) }
    }

    /// The inner state, ready for the message; finish it with ``finish(_:into:)``.
    func begin() -> Digest {
        inner
    }

    /// Completes a MAC whose message was fed to `state` (from ``begin()``), writing ``DigestState/digestSize``
    /// bytes to `output`.
    func finish(_ state: inout Digest, into output: UnsafeMutableRawPointer) {
        state.finish(into: output)
        var outerState = outer
        outerState.update(UnsafeRawPointer(output), count: Digest.digestSize)
        outerState.finish(into: output)
    }

    /// The MAC of `message`, written to `output`.
    func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) {
        var state = inner
        state.update(message)
        finish(&state, into: output)
    }
}
