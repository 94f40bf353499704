/// Why a transfer stopped short, beyond S3's own errors (``S3ServiceError``) and the transport's.
public enum S3TransferError: Error, Sendable, Hashable, CustomStringConvertible {
    /// S3 stored part `partNumber` with an entity tag other than the MD5 of the bytes sent: it was damaged
    /// on the way, and the upload is not completed with it.
    case partCorrupted(partNumber: Int)
    /// The bytes (downloaded, or of the file uploaded) do not hash to the object's entity tag.
    case checksumMismatch(expected: String, actual: String)
    /// The object changed while it was being downloaded (its entity tag or size no longer match).
    case objectChanged(bucket: String, key: String)
    /// The local file changed while it was being uploaded.
    case fileChanged(path: String)
    /// The object is larger than S3 stores (5 TiB).
    case objectTooLarge(size: Int64)
    /// S3 answered a ranged request with a different number of bytes than asked.
    case shortRange(expected: Int64, received: Int64)

    public var description: String {
        switch self {
        case .partCorrupted(let number): "S3 stored part \(number) with a different MD5 than sent: damaged on the way"
        case .checksumMismatch(let expected, let actual): "damaged on the way: S3 has entity tag \(expected), the bytes hash to \(actual)"
        case .objectChanged(let bucket, let key): "s3://\(bucket)/\(key) changed during the download"
        case .fileChanged(let path): "\(path) changed during the upload"
        case .objectTooLarge(let size): "\(size) bytes is more than S3 stores in one object (5 TiB)"
        case .shortRange(let expected, let received): "asked for \(expected) bytes, S3 sent \(received)"
        }
    }
}
