public import Logging

extension CurlHTTPClient {
    /// Settings fixed for the client's lifetime (they shape its shared connection cache).
    public struct Configuration: Sendable {
        /// Which certificate authorities the client trusts. Verification of the peer and of its host name is
        /// always on; only the roots change.
        public enum TrustRoots: Sendable, Hashable {
            /// The system's CA bundle (libcurl's default).
            case system
            /// Only the CA certificates of this PEM file (a private deployment, a test CA); the system's roots
            /// are not trusted alongside them.
            case caFile(path: String)
            /// Only these PEM-encoded CA certificates, held in memory; the system's roots are not trusted.
            case pem([UInt8])
        }

        /// Which URL schemes the client sends to.
        public enum SchemePolicy: Sendable, Hashable {
            /// `https` only; an `http://` request fails with ``HTTPClientError/invalidURL(_:)`` before any I/O.
            /// What the License Service client uses.
            case httpsOnly
            /// `https` and plain `http`: only by explicit opt-in, e.g. S3 to a local endpoint.
            case allowPlainHTTP
        }

        /// Whether requests go through a proxy. Proxy environment variables (`https_proxy`, `ALL_PROXY`, …) are
        /// never read: a proxy is used only when the configuration names one (docs/transport.md).
        public enum Proxy: Sendable, Hashable {
            /// Connect to every host directly, whatever the environment says.
            case none
            /// Send through this proxy (`http://host:port`, `https://…`, `socks5h://…`). HTTPS requests are
            /// tunnelled (HTTP `CONNECT`), so the proxy sees the host name but not the request. Plain-HTTP
            /// requests are refused before any I/O: through a proxy they would hand it the signed request,
            /// credentials and tokens included.
            case url(String)
        }

        /// The CAs trusted for TLS.
        public var trustRoots: TrustRoots
        /// The schemes allowed.
        public var schemePolicy: SchemePolicy
        /// The proxy, if any.
        public var proxy: Proxy
        /// The most connections open to one host at once; requests beyond it wait for a free connection.
        public var maximumConnectionsPerHost: Int
        /// How many response bytes a streamed body buffers before the transfer pauses (backpressure).
        public var streamingBufferBytes: Int
        /// Where the client logs. It never logs query strings, header fields or bodies.
        public var logger: Logger

        /// Creates a configuration; the defaults are HTTPS-only with the system's CAs.
        public init(
            trustRoots: TrustRoots = .system,
            schemePolicy: SchemePolicy = .httpsOnly,
            proxy: Proxy = .none,
            maximumConnectionsPerHost: Int = 32,
            streamingBufferBytes: Int = 1 << 20,
            logger: Logger = Logger(label: "DevPayHTTP")
        ) {
            self.trustRoots = trustRoots
            self.schemePolicy = schemePolicy
            self.proxy = proxy
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
            self.streamingBufferBytes = streamingBufferBytes
            self.logger = logger
        }
    }
}
