/// A part S3 holds for a multipart upload (`ListParts`), or one to name in `CompleteMultipartUpload`.
public struct S3UploadedPart: Sendable, Hashable, Codable {
    /// 1 to 10 000.
    public var partNumber: Int
    /// The part's entity tag, quotes removed (the hex MD5 of its bytes on AWS and SeaweedFS).
    public var eTag: String
    /// Its size in bytes (0 when S3 did not say).
    public var size: Int64

    /// Creates a part entry.
    public init(partNumber: Int, eTag: String, size: Int64 = 0) {
        self.partNumber = partNumber
        self.eTag = eTag
        self.size = size
    }
}

/// A multipart upload started and neither completed nor aborted (`ListMultipartUploads`).
public struct S3MultipartUploadSummary: Sendable, Hashable {
    /// The key the upload will store.
    public var key: String
    /// The upload's id.
    public var uploadID: String
    /// When it was started, as S3 wrote it (ISO 8601).
    public var initiated: String

    /// Creates an upload entry.
    public init(key: String, uploadID: String, initiated: String) {
        self.key = key
        self.uploadID = uploadID
        self.initiated = initiated
    }
}

/// A byte range of an object, for a ranged `GET` (`Range: bytes=first-last`).
public struct S3ByteRange: Sendable, Hashable {
    /// The first byte.
    public var offset: Int64
    /// How many bytes, at least 1.
    public var length: Int64

    /// Creates a range of `length` bytes from `offset`.
    public init(offset: Int64, length: Int64) {
        precondition(offset >= 0 && length > 0, "a byte range starts at 0 or later and is not empty")
        self.offset = offset
        self.length = length
    }

    /// The `Range` header's value.
    var headerValue: String { "bytes=\(offset)-\(offset + length - 1)" }
}
