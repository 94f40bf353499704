import CDevPayOpenSSL

/// MD5 of an object body, for `ETag` and `Content-MD5`: integrity checksums S3 defines, not security.
enum MD5 {
    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, EVP_md5(), nil)
        }
        precondition(ok == 1 && length == 16, "libcrypto MD5 failed")
        return out
    }

    static func hex(digest: [UInt8]) -> String { digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}
