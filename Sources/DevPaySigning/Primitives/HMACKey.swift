/// An HMAC key with its inner and outer hash states precomputed (RFC 2104).
///
/// Hashing the padded key costs two compression blocks; doing it once per key instead of once per MAC is
/// what makes a cached SigV4 signing key or a SigV1 secret cheap to reuse. The outer hash, and the whole
/// MAC of a message that fits one block (SigV4 key derivation), are laid out as blocks here and compressed
/// directly: no `Update` buffering, no `Final` bookkeeping.
struct HMACKey<Digest: DigestState>: Sendable {
    private var inner: Digest
    private var outer: Digest

    init(key: UnsafeRawBufferPointer) {
        var block = HashBlockScratch()
        block.withBytes { block in
            if key.count > HashBlock.size {
                var hashed = Digest()
                hashed.update(key)
                hashed.finish(into: block.baseAddress!)
            } else if key.count > 0 {
                block.baseAddress!.copyMemory(from: key.baseAddress!, byteCount: key.count)
            }
        }
        block.xor(0x3636_3636_3636_3636)
        var inner = Digest()
        block.withBytes { inner.update(UnsafeRawBufferPointer($0)) }
        // 0x36 ^ 0x5c turns the inner pad into the outer pad without keeping the key around.
        block.xor(0x3636_3636_3636_3636 ^ 0x5C5C_5C5C_5C5C_5C5C)
        var outer = Digest()
        block.withBytes { outer.update(UnsafeRawBufferPointer($0)) }
        block.wipe()
        self.inner = inner
        self.outer = outer
    }

    init(key: [UInt8]) {
        self = key.withUnsafeBytes { HMACKey(key: $0) }
    }

    init(key: String) {
        self = key.withUTF8Bytes { HMACKey(key: UnsafeRawBufferPointer($0)) }
    }

    /// The inner state, ready for the message; finish it with ``finish(_:into:)``.
    func begin() -> Digest {
        inner
    }

    /// Completes a MAC whose message was fed to `state` (from ``begin()``), writing ``DigestState/digestSize``
    /// bytes to `output`.
    func finish(_ state: inout Digest, into output: UnsafeMutableRawPointer) {
        var block = HashBlockScratch()
        block.withBytes { block in
            state.finish(into: block.baseAddress!)
            finishOuter(block, into: output)
        }
    }

    /// The MAC of `message`, written to `output`.
    func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) {
        guard message.count <= HashBlock.maxMessageInLastBlock else {
            var state = inner
            state.update(message)
            finish(&state, into: output)
            return
        }
        // The message and its padding make one block: two compressions in all.
        var block = HashBlockScratch()
        block.withBytes { block in
            if message.count > 0 {
                block.baseAddress!.copyMemory(from: message.baseAddress!, byteCount: message.count)
            }
            HashBlock.pad(block, messageCount: message.count, totalCount: HashBlock.size + message.count)
            var state = inner
            state.compress(block.baseAddress!)
            state.writeChainingValue(to: block.baseAddress!)
            finishOuter(block, into: output)
        }
    }

    /// The MAC of a one-block `message` (≤ 55 bytes) under a key of at most one block, used once: four
    /// compressions on two fresh states, with none of the state copies a precomputed ``HMACKey`` makes
    /// (SigV4's key schedule derives three such keys per signing key). `output` may overlap `key`.
    static func authenticateOnce(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer,
                                 into output: UnsafeMutableRawPointer) {
        precondition(key.count <= HashBlock.size && message.count <= HashBlock.maxMessageInLastBlock)
        var pad = HashBlockScratch()
        pad.withBytes { pad in
            if key.count > 0 { pad.baseAddress!.copyMemory(from: key.baseAddress!, byteCount: key.count) }
        }
        pad.xor(0x3636_3636_3636_3636)
        var block = HashBlockScratch()
        var inner = Digest()
        var outer = Digest()
        pad.withBytes { inner.compress($0.baseAddress!) }
        block.withBytes { block in
            if message.count > 0 {
                block.baseAddress!.copyMemory(from: message.baseAddress!, byteCount: message.count)
            }
            HashBlock.pad(block, messageCount: message.count, totalCount: HashBlock.size + message.count)
            inner.compress(block.baseAddress!)
            inner.writeChainingValue(to: block.baseAddress!)
            HashBlock.pad(block, messageCount: Digest.digestSize, totalCount: HashBlock.size + Digest.digestSize)
        }
        pad.xor(0x3636_3636_3636_3636 ^ 0x5C5C_5C5C_5C5C_5C5C)
        pad.withBytes { outer.compress($0.baseAddress!) }
        pad.wipe()
        block.withBytes { outer.compress($0.baseAddress!) }
        outer.writeChainingValue(to: output)
    }

    /// Hashes the inner digest, which `block` starts with, under the outer key state.
    @inline(__always)
    private func finishOuter(_ block: UnsafeMutableRawBufferPointer, into output: UnsafeMutableRawPointer) {
        HashBlock.pad(block, messageCount: Digest.digestSize, totalCount: HashBlock.size + Digest.digestSize)
        var state = outer
        state.compress(block.baseAddress!)
        state.writeChainingValue(to: output)
    }
}

/// One hash block of scratch memory on the stack.
struct HashBlockScratch {
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    @inline(__always)
    mutating func withBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        withUnsafeMutableBytes(of: &words, body)
    }

    /// XORs every byte with the byte repeated in `pattern`.
    @inline(__always)
    mutating func xor(_ pattern: UInt64) {
        words.0 ^= pattern; words.1 ^= pattern; words.2 ^= pattern; words.3 ^= pattern
        words.4 ^= pattern; words.5 ^= pattern; words.6 ^= pattern; words.7 ^= pattern
    }

    /// Zeroes the block (it held key material): best effort, as the optimiser may drop stores to a dead
    /// local.
    @inline(__always)
    mutating func wipe() {
        withBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) }
    }
}
