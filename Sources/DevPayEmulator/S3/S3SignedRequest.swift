import Hummingbird

/// What S3 authentication needs from one request, taken as it came over the wire.
struct S3SignedRequest: Sendable {
    var method: String
    /// The path as sent (percent-encoded), which both SigV2's resource and S3's SigV4 canonical URI use.
    var rawPath: String
    var query: QueryString
    /// The query as sent (percent-encoded), without `?`.
    var rawQuery: String
    /// Header names lower-cased; repeated fields keep every value in order.
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// The bucket a virtual-hosted request names in its host (`photos.s3.localhost`), or `nil` (path-style).
    var virtualHostedBucket: String?

    /// The domain under which the emulator answers virtual-hosted requests: `https://BUCKET.s3.localhost:PORT/KEY`.
    /// Every `*.localhost` name is loopback (RFC 6761; libcurl resolves it without DNS), and a wildcard
    /// certificate needs two labels under its `*`, hence `s3.localhost` rather than `localhost`.
    static let virtualHostDomain = "s3.localhost"

    /// The path as a path-style request would send it: `/bucket` + path when the bucket is in the host.
    var pathStyleResource: String {
        guard let virtualHostedBucket else { return rawPath }
        return "/" + virtualHostedBucket + rawPath
    }

    init(request: Request, query: QueryString, body: [UInt8]) {
        self.method = request.method.rawValue
        self.rawPath = request.uri.path
        self.query = query
        self.rawQuery = request.uri.query ?? ""
        var headers = request.headers.map { ($0.name.canonicalName, $0.value) }
        // HTTPTypes moves HTTP/1's Host field into the :authority pseudo-header; signatures cover it as `host`.
        if let authority = request.head.authority, !headers.contains(where: { $0.0 == "host" }) {
            headers.append(("host", authority))
        }
        self.headers = headers
        self.body = body
        self.virtualHostedBucket = headers.first { $0.0 == "host" }.flatMap { Self.bucket(inHost: $0.1) }
    }

    /// `photos` for `photos.s3.localhost:8443`; `nil` for `s3.localhost`, `127.0.0.1` or any other host.
    static func bucket(inHost host: String) -> String? {
        let name = host.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        let suffix = "." + virtualHostDomain
        guard name.lowercased().hasSuffix(suffix), name.count > suffix.count else { return nil }
        return String(name.dropLast(suffix.count))
    }

    /// Every value of `name` (lower-case), in order.
    func headerValues(_ name: String) -> [String] { headers.filter { $0.name == name }.map(\.value) }

    /// The values of `name` joined with commas, as HTTP allows for repeated fields; `nil` when absent.
    func header(_ name: String) -> String? {
        let values = headerValues(name)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}
