import CDevPayOpenSSL

/// SHA-256 for naming and fingerprints (not on a hot path, so the one-shot `EVP_Digest` is fine).
enum SHA256 {
    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "OpenSSL SHA-256 failed")
        return digest
    }
}
