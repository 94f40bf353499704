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
    /// The slowest a transfer may be before it is given up as stalled: fewer than `minimumBytes` moved (in
    /// either direction) during `window`. A server that trickles a byte now and then cannot keep a transfer,
    /// and the caller, waiting until ``HTTPRequestOptions/totalTimeout``.
    public struct StallLimit: Sendable, Hashable {
        /// Bytes that must move in every `window`.
        public var minimumBytes: Int
        /// The window, in whole seconds (libcurl's resolution); at least one second.
        public var window: Duration

        /// Creates a limit of `minimumBytes` per `window`.
        public init(minimumBytes: Int, window: Duration) {
            self.minimumBytes = minimumBytes
            self.window = window
        }

        /// 1 KiB per 30 s: far below any working link, so only a stalled or trickling peer trips it.
        public static let standard = StallLimit(minimumBytes: 1024, window: .seconds(30))
    }

    /// The longest time to establish a connection (TCP and TLS).
    public var connectTimeout: Duration
    /// The longest time the whole exchange may take, connection included.
    public var totalTimeout: Duration
    /// The largest body accepted before the transfer is aborted with ``HTTPClientError/responseTooLarge(limit:)``.
    public var maximumResponseBytes: Int
    /// Below this rate the transfer fails with ``HTTPClientError/timeout``; `nil` turns the check off.
    public var stallLimit: StallLimit?
    /// For streamed answers: how many bytes may wait for the reader before the transfer pauses; `nil` uses the
    /// client's `streamingBufferBytes`. Many parallel streams each take a smaller window to bound memory.
    public var streamingWindowBytes: Int?

    /// Creates options; the defaults suit small API calls.
    public init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(60),
        maximumResponseBytes: Int = 1 << 20,
        stallLimit: StallLimit? = .standard
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maximumResponseBytes = maximumResponseBytes
        self.stallLimit = stallLimit
    }
}
