public import DevPayRetry

/// How the retry engine treats a failure to get an answer: timeouts and broken connections are transient
/// (a timeout costs the retry quota more), everything else (bad URL, TLS, cancellation, a too-large answer) is
/// permanent, because trying again cannot change it.
extension HTTPClientError: RetryClassifiable {
    public var retryClassification: RetryClassification {
        switch self {
        case .timeout: .timeout
        case .connect, .transfer, .nameResolution: .transient
        default: .permanent
        }
    }
}
