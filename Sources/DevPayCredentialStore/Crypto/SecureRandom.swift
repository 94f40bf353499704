import CDevPayOpenSSL

/// Bytes from OpenSSL's CSPRNG, for nonces, keys and record identifiers.
///
/// Deliberately not injectable: a nonce or key from a test generator would be a security bug if it ever
/// leaked into production, and no test needs to predict these values (tests compare decrypted contents).
enum SecureRandom {
    static func bytes(_ count: Int) throws(CredentialStoreError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw .crypto("RAND_bytes") }
        return bytes
    }

    static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CredentialStoreError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        guard RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            throw .crypto("RAND_bytes")
        }
    }
}
