/// Why a TLS connection was refused, named by what a person can do about it.
///
/// Every reason is permanent: sending again reaches the same certificate and fails the same way, so the
/// retry engine never retries a ``HTTPClientError/tls(_:)`` (docs/retry.md).
public struct TLSFailure: Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Reason: Sendable, Hashable, CaseIterable {
        /// The certificate does not chain to a trusted CA (self-signed, a private CA not passed as trust root).
        case untrustedCertificate
        /// The certificate has expired or is not valid yet (also: the local clock is far off).
        case expiredCertificate
        /// The certificate is valid, but for another host name.
        case hostnameMismatch
        /// The server's public key is not the pinned one.
        case pinnedKeyMismatch
        /// The trust roots themselves could not be used (an unreadable or malformed CA file).
        case trustRootsUnusable
        /// The handshake failed before any certificate was judged (no common protocol, not a TLS server).
        case handshake
    }

    /// What failed.
    public var reason: Reason
    /// libcurl's text (names the host and OpenSSL's reason; never a header or a query string).
    public var detail: String

    /// Creates a failure.
    public init(_ reason: Reason, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    /// What the reason means, in a few words.
    public var summary: String {
        switch reason {
        case .untrustedCertificate: "the server's certificate is not trusted"
        case .expiredCertificate: "the server's certificate has expired or is not valid yet"
        case .hostnameMismatch: "the server's certificate is for another host name"
        case .pinnedKeyMismatch: "the server's public key is not the pinned one"
        case .trustRootsUnusable: "the trusted CA certificates could not be read"
        case .handshake: "the TLS handshake failed"
        }
    }

    public var description: String { "\(summary) (\(detail))" }
}
