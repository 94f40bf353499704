public import HTTPTypes

/// Something that sends an HTTP request and collects the whole answer.
///
/// The License Service and S3 clients talk to this protocol, so tests can put a recording or scripted
/// transport under them; the real one is ``CurlHTTPClient``, which drives libcurl on its own thread.
public protocol HTTPTransport: Sendable {
    /// Sends `request` with an optional in-memory `body` and returns the response head and its body.
    ///
    /// Any HTTP status is a response, not an error; errors are failures to get an answer at all
    /// (``HTTPClientError``).
    func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse
}

/// A response whose body was read into memory (API calls; bounded by ``HTTPRequestOptions/maximumResponseBytes``).
public struct HTTPBufferedResponse: Sendable, Hashable {
    /// Status and header fields.
    public var head: HTTPResponse
    /// The whole body.
    public var body: [UInt8]

    /// Creates a response from its parts.
    public init(head: HTTPResponse, body: [UInt8]) {
        self.head = head
        self.body = body
    }
}

/// Per-request limits.
public struct HTTPRequestOptions: Sendable, Hashable {
    /// The longest time to establish a connection (TCP and TLS).
    public var connectTimeout: Duration
    /// The longest time the whole exchange may take, connection included.
    public var totalTimeout: Duration
    /// The largest body accepted before the transfer is aborted with ``HTTPClientError/responseTooLarge(limit:)``.
    public var maximumResponseBytes: Int
    /// For streamed answers: how many bytes may wait for the reader before the transfer pauses; `nil` uses the
    /// client's `streamingBufferBytes`. Many parallel streams each take a smaller window to bound memory.
    public var streamingWindowBytes: Int?

    /// Creates options; the defaults suit small API calls.
    public init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(60),
        maximumResponseBytes: Int = 1 << 20
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maximumResponseBytes = maximumResponseBytes
    }
}
