/// How ``S3Transfers`` splits and paces a transfer.
///
/// Memory: a transfer holds at most ``maximumPartsInFlight`` (≤ 16) parts or ranges in flight, and each holds
/// only the transport's streaming window (1 MiB by default, `CurlHTTPClient.Configuration.streamingBufferBytes`)
/// plus one libcurl chunk, and a 256 KiB read buffer while hashing an upload part: part bodies stream from and
/// to the file, never whole in memory. So the bound does not grow with the object or the part size.
public struct S3TransferOptions: Sendable, Hashable {
    /// S3's smallest part (all but the last part of an upload).
    public static let minimumPartSize: Int64 = 5 << 20
    /// S3's largest part.
    public static let maximumPartSize: Int64 = 5 << 30
    /// S3's most parts in one upload.
    public static let maximumPartCount = 10_000
    /// S3's largest object.
    public static let maximumObjectSize: Int64 = 5 << 40

    /// Objects larger than this go up in parts and come down in parallel ranges; smaller ones use one request.
    public var multipartThreshold: Int64
    /// The part (and range) size to use when the object fits in ``S3TransferOptions/maximumPartCount`` parts
    /// of it; raised for larger objects. Clamped to S3's 5 MiB–5 GiB.
    public var preferredPartSize: Int64
    /// At most this many parts or ranges travel at once: 1 to ``S3TransferOptions/maximumParallelism``.
    public var maximumPartsInFlight: Int
    /// The most parts in flight a transfer allows: more brings nothing on one link and would let memory grow.
    public static let maximumParallelism = 16

    /// Creates options; by default objects over 16 MiB go in 8 MiB parts, 4 at a time.
    public init(multipartThreshold: Int64 = 16 << 20, preferredPartSize: Int64 = 8 << 20, maximumPartsInFlight: Int = 4) {
        self.multipartThreshold = multipartThreshold
        self.preferredPartSize = preferredPartSize
        self.maximumPartsInFlight = min(max(1, maximumPartsInFlight), Self.maximumParallelism)
    }

    /// The part size for an object of `size` bytes: the preferred size, raised (to a whole MiB) until the
    /// object fits in 10 000 parts, and kept within S3's limits.
    public func partSize(forObjectOf size: Int64) -> Int64 {
        let mebibyte: Int64 = 1 << 20
        var partSize = min(max(preferredPartSize, Self.minimumPartSize), Self.maximumPartSize)
        let needed = (size + Int64(Self.maximumPartCount) - 1) / Int64(Self.maximumPartCount)
        if needed > partSize { partSize = (needed + mebibyte - 1) / mebibyte * mebibyte }
        return min(partSize, Self.maximumPartSize)
    }
}

/// An object cut into consecutive parts (or ranges) of one size, the last one shorter.
struct S3PartLayout: Sendable, Hashable {
    var objectSize: Int64
    var partSize: Int64

    var partCount: Int { objectSize == 0 ? 0 : Int((objectSize + partSize - 1) / partSize) }

    /// The bytes of part `number` (1-based, as S3 numbers parts).
    func range(ofPart number: Int) -> Range<Int64> {
        let start = Int64(number - 1) * partSize
        return start..<min(start + partSize, objectSize)
    }
}
