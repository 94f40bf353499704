/// Why a request got no HTTP answer.
///
/// Each case is either permanent (``invalidURL(_:)``, ``tls(_:)``, ``cancelled``, ``responseTooLarge(limit:)``:
/// sending again cannot change it) or transient (the others); ``retryClassification`` says which, and
/// docs/retry.md has the table.
public enum HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not one this client will send to (malformed, or refused by policy such as HTTPS-only).
    case invalidURL(String)
    /// The host name did not resolve.
    case nameResolution(host: String)
    /// No connection could be made: refused (nothing listens on the port), no route to the host, network down.
    /// The text starts with the system's reason.
    case connect(String)
    /// The TLS handshake or certificate verification failed; the reason says which.
    case tls(TLSFailure)
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
    /// libcurl refused an option the client's policy needs (an option this libcurl lacks, a value it rejects);
    /// nothing was sent. Failing here is deliberate: silently keeping libcurl's default could mean, for
    /// example, trusting the system's roots instead of the configured ones.
    case configuration(String)
}
