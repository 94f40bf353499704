/// Where an S3 (or S3-compatible) service answers, and how buckets are addressed there.
public struct S3Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// How a bucket appears in a request.
    public enum Addressing: Sendable, Hashable {
        /// `https://host/bucket/key`: works with every S3-compatible service and with dotted bucket names.
        case pathStyle
        /// `https://bucket.host/key`: Amazon's preferred form; needs a bucket name without dots under TLS.
        case virtualHosted
    }

    /// `https` (default) or `http` (only where the transport's policy allows it, e.g. a local test service).
    public var scheme: String
    /// Host and optional port, e.g. `s3.amazonaws.com` or `127.0.0.1:9000`.
    public var authority: String
    /// The region SigV4 signs for (`us-east-1` for the classic global endpoint).
    public var region: String
    /// Path-style or virtual-hosted buckets.
    public var addressing: Addressing

    /// Amazon S3's classic endpoint, `https://s3.amazonaws.com`, virtual-hosted, region `us-east-1`.
    public static let amazon = S3Endpoint(
        validatedScheme: "https", authority: "s3.amazonaws.com", region: "us-east-1", addressing: .virtualHosted
    )

    private init(validatedScheme scheme: String, authority: String, region: String, addressing: Addressing) {
        self.scheme = scheme
        self.authority = authority
        self.region = region
        self.addressing = addressing
    }

    /// Parses `url` (`https://host[:port][/]`); a path other than `/` is refused.
    ///
    /// - Throws: ``S3ClientError/invalidEndpoint(_:)`` when the URL has another scheme, no host, user
    ///   information, a path, a query or a fragment.
    public init(url: String, region: String = "us-east-1", addressing: Addressing = .pathStyle) throws(S3ClientError) {
        let lowered = url.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") {
            scheme = "https"
        } else if lowered.hasPrefix("http://") {
            scheme = "http"
        } else {
            throw .invalidEndpoint(url)
        }
        var authority = Substring(url.dropFirst(scheme.count + 3))
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.isEmpty, !authority.contains(where: { "/?#@ ".contains($0) }) else {
            throw .invalidEndpoint(url)
        }
        self.init(validatedScheme: scheme, authority: String(authority), region: region, addressing: addressing)
    }

    /// The endpoint's base URL, e.g. `https://127.0.0.1:8443`.
    public var url: String { "\(scheme)://\(authority)" }

    public var description: String { url }
}
