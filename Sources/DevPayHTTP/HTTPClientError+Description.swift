/// Says which failure it was first (name resolution, no connection, TLS, …): that is what a person acts on.
extension HTTPClientError {
    public var description: String {
        switch self {
        case .invalidURL(let reason): "refused URL: \(reason)"
        case .nameResolution(let host): "name resolution failed: \(host) could not be resolved"
        case .connect(let reason): "no connection: \(reason)"
        case .tls(let failure): "TLS: \(failure)"
        case .timeout: "timed out"
        case .cancelled: "cancelled"
        case .shutDown: "the HTTP client was shut down"
        case .responseTooLarge(let limit): "the answer exceeded \(limit) bytes"
        case .transfer(let reason): "the connection broke: \(reason)"
        case .configuration(let reason): "transport setting refused: \(reason)"
        }
    }
}
