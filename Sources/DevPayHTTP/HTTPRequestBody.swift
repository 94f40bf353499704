/// What a request sends after its head.
///
/// Small API calls use ``bytes(_:)``; S3 uploads of any size use ``file(path:)`` or ``stream(length:_:)``, which
/// never hold the whole body in memory: the transport asks for the next piece only when the socket can take it.
public struct HTTPRequestBody: Sendable {
    enum Source: Sendable {
        case empty
        case bytes([UInt8])
        /// `range`: a byte range of the file (a multipart upload's part); `nil` for all of it.
        case file(path: String, range: Range<Int64>?)
        /// `pump` feeds the chunks of the caller's sequence into an upload storage.
        case stream(length: Int64?, pump: @Sendable (UploadStorage) async -> Void)
    }

    let source: Source

    /// No body at all (GET, HEAD, DELETE).
    public static var empty: HTTPRequestBody { HTTPRequestBody(source: .empty) }

    /// A body already in memory; sent with `Content-Length` (an empty array sends `Content-Length: 0`).
    public static func bytes(_ bytes: [UInt8]) -> HTTPRequestBody { HTTPRequestBody(source: .bytes(bytes)) }

    /// The contents of a regular file, read piece by piece on the transport's thread; sent with `Content-Length`.
    public static func file(path: String) -> HTTPRequestBody { HTTPRequestBody(source: .file(path: path, range: nil)) }

    /// The bytes `range` of a regular file (one part of a multipart upload), read piece by piece on the
    /// transport's thread and never past the range's end; sent with `Content-Length: range.count`. The file
    /// must be at least `range.upperBound` bytes long, or the transfer fails.
    public static func file(path: String, range: Range<Int64>) -> HTTPRequestBody {
        HTTPRequestBody(source: .file(path: path, range: range))
    }

    /// Chunks from an asynchronous sequence, pulled one at a time as the connection drains them.
    ///
    /// - Parameters:
    ///   - length: the total length, sent as `Content-Length` (S3 requires it); `nil` sends HTTP/1.1 chunked
    ///     encoding. When given, the sequence must produce exactly this many bytes or the transfer fails.
    ///   - chunks: the body; an error it throws aborts the transfer and is rethrown to the caller as is.
    public static func stream<Chunks: AsyncSequence & Sendable>(
        length: Int64?,
        _ chunks: Chunks
    ) -> HTTPRequestBody where Chunks.Element == [UInt8] {
        HTTPRequestBody(source: .stream(length: length, pump: { storage in await storage.pump(chunks) }))
    }
}
