import CDevPayOpenSSL

/// AES-256-GCM through OpenSSL 3's EVP interface: 32-byte key, 12-byte nonce, 16-byte tag.
enum AESGCM {
    static let keyCount = 32
    static let nonceCount = 12
    static let tagCount = 16

    /// Encrypts `plaintext` into `ciphertext` (same length) and returns the tag.
    static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        into ciphertext: UnsafeMutableRawBufferPointer,
        key: SecretBytes,
        nonce: [UInt8],
        associatedData: [UInt8]
    ) throws(CredentialStoreError) -> [UInt8] {
        precondition(ciphertext.count == plaintext.count && nonce.count == nonceCount)
        let context = try Context()
        var tag = [UInt8](repeating: 0, count: tagCount)
        let ok = key.withUnsafeBytes { key in
            guard EVP_EncryptInit_ex2(context.pointer, EVP_aes_256_gcm(), bytes(key), nonce, nil) == 1 else {
                return false
            }
            var written: Int32 = 0
            guard associatedData.withUnsafeBytes({ ad in
                EVP_EncryptUpdate(context.pointer, nil, &written, bytes(ad), Int32(ad.count)) == 1
            }) else { return false }
            if plaintext.count > 0 {
                guard EVP_EncryptUpdate(
                    context.pointer, mutableBytes(ciphertext), &written, bytes(plaintext), Int32(plaintext.count)
                ) == 1, written == Int32(plaintext.count) else { return false }
            }
            var finalCount: Int32 = 0
            guard EVP_EncryptFinal_ex(context.pointer, nil, &finalCount) == 1, finalCount == 0 else { return false }
            return EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_GET_TAG, Int32(tagCount), &tag) == 1
        }
        guard ok else { throw .crypto("AES-256-GCM seal") }
        return tag
    }

    /// Decrypts and authenticates; returns `false` (and leaves `plaintext` zeroed) when the tag does not match.
    static func open(
        _ ciphertext: UnsafeRawBufferPointer,
        into plaintext: UnsafeMutableRawBufferPointer,
        key: SecretBytes,
        nonce: UnsafeRawBufferPointer,
        tag: UnsafeRawBufferPointer,
        associatedData: [UInt8]
    ) throws(CredentialStoreError) -> Bool {
        precondition(plaintext.count == ciphertext.count && nonce.count == nonceCount && tag.count == tagCount)
        let context = try Context()
        let authentic = key.withUnsafeBytes { key in
            guard EVP_DecryptInit_ex2(context.pointer, EVP_aes_256_gcm(), bytes(key), bytes(nonce), nil) == 1 else {
                return false
            }
            var written: Int32 = 0
            guard associatedData.withUnsafeBytes({ ad in
                EVP_DecryptUpdate(context.pointer, nil, &written, bytes(ad), Int32(ad.count)) == 1
            }) else { return false }
            if ciphertext.count > 0 {
                guard EVP_DecryptUpdate(
                    context.pointer, mutableBytes(plaintext), &written, bytes(ciphertext), Int32(ciphertext.count)
                ) == 1 else { return false }
            }
            let expectedTag = UnsafeMutableRawPointer(mutating: tag.baseAddress)
            guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_SET_TAG, Int32(tagCount), expectedTag) == 1 else {
                return false
            }
            var finalCount: Int32 = 0
            return EVP_DecryptFinal_ex(context.pointer, nil, &finalCount) == 1
        }
        if !authentic { SecretBytes.wipe(plaintext) }
        return authentic
    }

    /// Owns one `EVP_CIPHER_CTX`; freeing it also wipes the expanded key schedule.
    private final class Context {
        let pointer: OpaquePointer

        init() throws(CredentialStoreError) {
            guard let pointer = EVP_CIPHER_CTX_new() else { throw .crypto("EVP_CIPHER_CTX_new") }
            self.pointer = pointer
        }

        deinit { EVP_CIPHER_CTX_free(pointer) }
    }
}

private func bytes(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
    buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
}

private func mutableBytes(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8>? {
    buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
}
