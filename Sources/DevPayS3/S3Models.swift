/// A bucket in a `ListBuckets` answer.
public struct S3Bucket: Sendable, Hashable {
    /// The bucket's name.
    public var name: String
    /// When the bucket was created, as S3 wrote it (ISO 8601).
    public var creationDate: String

    /// Creates a bucket entry.
    public init(name: String, creationDate: String) {
        self.name = name
        self.creationDate = creationDate
    }
}

/// An object in a `ListObjectsV2` page.
public struct S3ObjectSummary: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// Its size in bytes.
    public var size: Int64
    /// Its entity tag, quotes removed.
    public var eTag: String
    /// When it was last written, as S3 wrote it (ISO 8601).
    public var lastModified: String

    /// Creates an object entry.
    public init(key: String, size: Int64, eTag: String, lastModified: String) {
        self.key = key
        self.size = size
        self.eTag = eTag
        self.lastModified = lastModified
    }
}

/// One page of a `ListObjectsV2` answer.
public struct S3ObjectListPage: Sendable, Hashable {
    /// The objects on this page, in key order.
    public var objects: [S3ObjectSummary]
    /// The common prefixes when a delimiter was given ("folders").
    public var commonPrefixes: [String]
    /// The token that fetches the next page, or `nil` when this is the last one.
    public var nextContinuationToken: String?

    /// Creates a page.
    public init(objects: [S3ObjectSummary], commonPrefixes: [String], nextContinuationToken: String?) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextContinuationToken = nextContinuationToken
    }
}

/// What `HEAD` (and `GET`) tell about an object.
public struct S3ObjectInfo: Sendable, Hashable {
    /// The object's size in bytes, when the answer said.
    public var contentLength: Int64?
    /// Its media type.
    public var contentType: String?
    /// Its entity tag, quotes removed.
    public var eTag: String?
    /// When it was last written (HTTP date).
    public var lastModified: String?

    /// Creates object facts.
    public init(contentLength: Int64? = nil, contentType: String? = nil, eTag: String? = nil, lastModified: String? = nil) {
        self.contentLength = contentLength
        self.contentType = contentType
        self.eTag = eTag
        self.lastModified = lastModified
    }
}
