public import DevPayRetry

/// How the retry engine treats a failure to get an answer: timeouts and broken connections are transient
/// (a timeout costs the retry quota more), everything else (bad URL, TLS, cancellation, a too-large answer) is
/// permanent, because trying again cannot change it. The one classification of a transport failure: the
/// clients' own errors defer to it for theirs. Every case is listed, so a new one must be classified here.
extension HTTPClientError: RetryClassifiable {
    public var retryClassification: RetryClassification {
        switch self {
        case .timeout: .timeout
        case .connect, .transfer, .nameResolution: .transient
        case .invalidURL, .tls, .cancelled, .responseTooLarge: .permanent
        }
    }
}
