import CDevPayOpenSSL

/// HKDF-SHA256 (RFC 5869) through OpenSSL 3's `EVP_KDF` "HKDF", deriving per-product keys from the master key.
enum HKDF {
    static func deriveKey(
        from inputKey: SecretBytes, salt: [UInt8], info: [UInt8], count: Int
    ) throws(CredentialStoreError) -> SecretBytes {
        guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else { throw .crypto("EVP_KDF_fetch(HKDF)") }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { throw .crypto("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(context) }

        var salt = salt
        var info = info
        let derived: Int32 = inputKey.withUnsafeBytes { key in
            salt.withUnsafeMutableBytes { salt in
                info.withUnsafeMutableBytes { info in
                    var digestName = Array("SHA256".utf8CString)
                    return digestName.withUnsafeMutableBufferPointer { digestName in
                        var parameters = [
                            OSSL_PARAM_construct_utf8_string(cName("digest"), digestName.baseAddress, 0),
                            OSSL_PARAM_construct_octet_string(
                                cName("key"), UnsafeMutableRawPointer(mutating: key.baseAddress), key.count),
                            OSSL_PARAM_construct_octet_string(cName("salt"), salt.baseAddress, salt.count),
                            OSSL_PARAM_construct_octet_string(cName("info"), info.baseAddress, info.count),
                            OSSL_PARAM_construct_end(),
                        ]
                        return EVP_KDF_CTX_set_params(context, &parameters)
                    }
                }
            }
        }
        guard derived == 1 else { throw .crypto("EVP_KDF_CTX_set_params(HKDF)") }
        return try SecretBytes(count: count) { (output: UnsafeMutableRawBufferPointer) throws(CredentialStoreError) in
            guard
                EVP_KDF_derive(context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), count, nil) == 1
            else { throw .crypto("EVP_KDF_derive(HKDF)") }
        }
    }
}

/// `OSSL_PARAM` keeps the key pointer it is given, so parameter names must outlive the call that builds the
/// parameter: a static string's storage does (a `String` literal bridged to C would be temporary).
private func cName(_ name: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
}
