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
    /// The body exceeded the caller's limit.
    case responseTooLarge(limit: Int)
    /// The connection broke during the exchange (reset, truncated answer, protocol error).
    case transfer(String)
    /// libcurl refused an option the client's policy needs (an option this libcurl lacks, a value it rejects);
    /// nothing was sent. Failing here is deliberate: silently keeping libcurl's default could mean, for
    /// example, trusting the system's roots instead of the configured ones.
    case configuration(String)
}
