public import DevPayRetry

/// How the retry engine treats a failure to get an answer, by what a retry can change (docs/retry.md):
/// timeouts, refused or unroutable connections, broken connections and failed name resolution may be gone a
/// moment later (a timeout costs the retry quota more); a refused URL, any TLS failure, cancellation, a client
/// that was shut down, a too-large answer and a transport setting libcurl refused are permanent, because the
/// same request meets the same verdict. The one classification of a transport failure: the clients' own errors
/// defer to it for theirs. Every case is listed, so a new one must be classified here.
extension HTTPClientError: RetryClassifiable {
    public var retryClassification: RetryClassification {
        switch self {
        case .timeout: .timeout
        case .connect, .transfer, .nameResolution: .transient
        case .invalidURL, .tls, .cancelled, .shutDown, .responseTooLarge, .configuration: .permanent
        }
    }

    /// Whether sending the same request again could succeed (the opposite of permanent).
    public var isTransient: Bool { retryClassification.errorClass != .permanent }
}
