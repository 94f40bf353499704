/// Why a request got no HTTP answer.
public enum HTTPClientError: Error, Sendable, Hashable {
    /// The URL is not one this client will send to (malformed, or refused by policy such as HTTPS-only).
    case invalidURL(String)
    /// The host name did not resolve.
    case nameResolution(host: String)
    /// No connection could be made.
    case connect(String)
    /// The TLS handshake or certificate verification failed.
    case tls(String)
    /// A connect or total timeout expired.
    case timeout
    /// The calling task was cancelled and the transfer aborted.
    case cancelled
    /// The client was shut down (``CurlHTTPClient/shutdown()``) before or while the request ran.
    case shutDown
    /// The body exceeded the caller's limit.
    case responseTooLarge(limit: Int)
    /// The connection broke during the exchange (reset, truncated answer, protocol error).
    case transfer(String)
}
