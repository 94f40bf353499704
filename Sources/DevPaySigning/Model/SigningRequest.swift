/// The parts of an HTTP request a signature covers: method, URL split as sent on the wire, and headers.
///
/// Build it from a URL string (validated: absolute `http`/`https`, a host, already percent-encoded, no
/// fragment) or from parts. Signing adds headers (`Authorization`, `x-amz-date`, …) or query parameters
/// (presigned) to it; ``url`` is then what to send.
public struct SigningRequest: Sendable, Hashable {
    /// The HTTP method, e.g. `GET`.
    public var method: String
    /// `http` or `https`, lower-case.
    public var scheme: String
    /// `host[:port]` as in the URL.
    public var authority: String
    /// The path as sent, starting with `/` (percent-encoded for S3; see ``SigV4PathRule``).
    public var path: String
    /// The query as sent, without `?`; empty when there is none.
    public var query: String
    /// Header fields in sending order.
    public var headers: [HTTPHeader]

    /// A request from its parts, taken as given (no validation: the signer validates headers and method).
    public init(method: String, scheme: String = "https", authority: String, path: String, query: String = "",
                headers: [HTTPHeader] = []) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path.isEmpty ? "/" : path
        self.query = query
        self.headers = headers
    }

    /// A request for `url`, which must be absolute, `http` or `https`, and already percent-encoded as it
    /// will be sent.
    public init(method: String, url: String, headers: [HTTPHeader] = []) throws(SigningError) {
        let bytes = Array(url.utf8)
        for byte in bytes {
            if byte <= 0x20 || byte >= 0x7F { throw .malformedURL(reason: "space, control or non-ASCII character") }
            if byte == UInt8(ascii: "#") { throw .malformedURL(reason: "fragment") }
        }
        guard let schemeEnd = url.utf8.firstIndex(of: UInt8(ascii: ":")),
            url.utf8[schemeEnd...].starts(with: "://".utf8)
        else { throw .malformedURL(reason: "not absolute (scheme://host…)") }
        let scheme = String(url[..<schemeEnd]).lowercased()
        guard scheme == "http" || scheme == "https" else { throw .malformedURL(reason: "scheme is not http or https") }
        let rest = url.utf8[url.utf8.index(schemeEnd, offsetBy: 3)...]
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = String(Substring(rest[..<authorityEnd]))
        guard !authority.isEmpty, !authority.hasPrefix(":") else { throw .malformedURL(reason: "no host") }
        guard !authority.utf8.contains(UInt8(ascii: "@")) else { throw .malformedURL(reason: "user info in URL") }
        let pathAndQuery = rest[authorityEnd...]
        let queryStart = pathAndQuery.firstIndex(of: UInt8(ascii: "?")) ?? pathAndQuery.endIndex
        let path = String(Substring(pathAndQuery[..<queryStart]))
        let query = queryStart == pathAndQuery.endIndex ? "" : String(Substring(pathAndQuery[pathAndQuery.index(after: queryStart)...]))
        for component in [path, query] where !Self.hasValidEscapes(Array(component.utf8)) {
            throw .malformedURL(reason: "% not followed by two hex digits")
        }
        self.init(method: method, scheme: scheme, authority: authority, path: path, query: query, headers: headers)
    }

    /// `scheme://authority/path?query`.
    public var url: String {
        scheme + "://" + authority + path + (query.isEmpty ? "" : "?" + query)
    }

    /// The `Host` value signed when the request has none: the authority lower-cased, without the scheme's
    /// default port (what HTTP clients send).
    public var hostHeaderValue: String {
        let lowered = authority.lowercased()
        let defaultPort = scheme == "https" ? ":443" : ":80"
        return lowered.hasSuffix(defaultPort) ? String(lowered.dropLast(defaultPort.count)) : lowered
    }

    private static func hasValidEscapes(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, ByteEncoding.hexValue(bytes[index + 1]) != nil,
                    ByteEncoding.hexValue(bytes[index + 2]) != nil
                else { return false }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }

    /// Throws unless the method and every header are well-formed.
    func validate() throws(SigningError) {
        guard ASCII.isToken(method) else { throw .invalidMethod }
        // Checked in place (no copy of each field); the throwing pass only names the first bad field.
        let allValid = headers.withUnsafeBufferPointer { headers in
            headers.indices.allSatisfy { ASCII.isToken(headers[$0].name) && ASCII.isValidValue(headers[$0].value) }
        }
        if !allValid {
            for header in headers { try ASCII.validate(header) }
        }
    }
}
