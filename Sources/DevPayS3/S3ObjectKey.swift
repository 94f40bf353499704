import DevPaySigning

/// S3 object keys: what S3 accepts, and how a key is written into a request path.
enum S3ObjectKey {
    /// The longest key S3 stores, in bytes of UTF-8.
    static let maximumBytes = 1024

    /// The key percent-encoded segment by segment (RFC 3986 unreserved characters and `/` left bare), as S3
    /// expects it on the wire and as SigV4 signs it for S3 (no second encoding).
    static func encodedPath(_ key: String) throws(S3ClientError) -> String {
        let count = key.utf8.count
        guard count > 0 else { throw .invalidObjectKey(reason: "empty") }
        guard count <= maximumBytes else { throw .invalidObjectKey(reason: "\(count) bytes; S3 allows \(maximumBytes)") }
        guard !key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidObjectKey(reason: "control character")
        }
        return key.split(separator: "/", omittingEmptySubsequences: false)
            .map { PercentEncoding.encode(String($0)) }
            .joined(separator: "/")
    }
}
