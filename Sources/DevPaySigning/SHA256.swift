import CDevPayOpenSSL

/// SHA-256 through OpenSSL 3's EVP interface, with the algorithm fetched once per process.
public enum SHA256 {
    /// The algorithm object; fetching it per call costs about a microsecond and several allocations.
    nonisolated(unsafe) private static let algorithm: OpaquePointer = {
        // Safe to share: a fetched EVP_MD is immutable and OpenSSL documents it as usable from any thread.
        guard let md = EVP_MD_fetch(nil, "SHA256", nil) else {
            fatalError("OpenSSL has no SHA-256; libcrypto is unusable")
        }
        return md
    }()

    /// The 32-byte digest of `bytes`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let hashed = bytes.withContiguousStorageIfAvailable { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &output, &length, algorithm, nil)
        } ?? Array(bytes).withUnsafeBufferPointer { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &output, &length, algorithm, nil)
        }
        precondition(hashed == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        return output
    }

    /// The digest of `bytes` as 64 lower-case hexadecimal characters.
    public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        let alphabet = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in digest(bytes) {
            hex.append(alphabet[Int(byte >> 4)])
            hex.append(alphabet[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

/// What the OpenSSL this process loaded is.
public enum CryptoLibraryInfo {
    /// OpenSSL's version text, e.g. `OpenSSL 3.0.19 27 Jan 2026`.
    public static var version: String {
        String(cString: OpenSSL_version(OPENSSL_VERSION))
    }
}
