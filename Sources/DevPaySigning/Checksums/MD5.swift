import CDevPayOpenSSL

/// MD5, for what S3 defines with it: `Content-MD5`, and the entity tag of an object stored in one piece (or the
/// MD5 of its parts' MD5s for one stored in parts). An integrity checksum against accidents, never security.
///
/// Feed it piece by piece (a part of a file read in chunks) with ``update(_:)`` and read ``finalize()`` once.
/// Not `Sendable`: one task hashes one stream.
public final class MD5 {
    private let context: OpaquePointer

    /// A fresh digest.
    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_md5(), nil) == 1 else {
            fatalError("libcrypto has no MD5; OpenSSL is unusable")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds `bytes` to the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        precondition(EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1, "EVP_DigestUpdate(MD5) failed")
    }

    /// Adds `bytes` to the digest.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 16-byte digest of everything added; the digest cannot be used afterwards.
    public func finalize() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(context, &output, &length) == 1 && length == 16, "EVP_DigestFinal(MD5) failed")
        return output
    }

    /// The 16-byte digest of `bytes`.
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        let md5 = MD5()
        md5.update(bytes)
        return md5.finalize()
    }

    /// `digest` as lower-case hexadecimal (how S3 writes it in an entity tag).
    public static func hex(_ digest: [UInt8]) -> String {
        var text = [UInt8]()
        digest.withUnsafeBytes { ByteEncoding.appendLowerHex($0, to: &text) }
        return String(decoding: text, as: UTF8.self)
    }

    /// `digest` as padded Base64 (how `Content-MD5` carries it).
    public static func base64(_ digest: [UInt8]) -> String {
        var text = [UInt8]()
        digest.withUnsafeBytes { ByteEncoding.appendBase64($0, to: &text) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The entity tag S3 gives an object completed from parts with these MD5 digests: the MD5 of the digests
    /// laid end to end, a dash, and the number of parts.
    public static func multipartETag(partDigests: [[UInt8]]) -> String {
        hex(digest(partDigests.flatMap { $0 })) + "-\(partDigests.count)"
    }
}
