/// How far a transfer has come, as libcurl reports it.
///
/// Totals are `nil` while unknown (no `Content-Length`, or a streamed upload of unknown length).
public struct HTTPTransferProgress: Sendable, Hashable {
    /// Request body bytes sent so far.
    public var bytesSent: Int64
    /// The request body's length, when known.
    public var bytesToSend: Int64?
    /// Response body bytes received so far.
    public var bytesReceived: Int64
    /// The response body's length, when the server announced it.
    public var bytesToReceive: Int64?

    /// Creates a progress report.
    public init(bytesSent: Int64, bytesToSend: Int64?, bytesReceived: Int64, bytesToReceive: Int64?) {
        self.bytesSent = bytesSent
        self.bytesToSend = bytesToSend
        self.bytesReceived = bytesReceived
        self.bytesToReceive = bytesToReceive
    }
}

/// Receives progress reports on the transport's own thread: it must return quickly and never block.
public typealias HTTPProgressHandler = @Sendable (HTTPTransferProgress) -> Void
