import CDevPayCurl

/// What the libcurl this process loaded can do.
public struct CurlLibraryInfo: Sendable, Hashable {
    /// libcurl's version, e.g. `7.88.1`.
    public var version: String
    /// The TLS library libcurl was built against, e.g. `OpenSSL/3.0.19`.
    public var tlsBackend: String?
    /// Whether libcurl can speak HTTP/2.
    public var supportsHTTP2: Bool

    /// Reads the facts from the loaded libcurl.
    public static var current: CurlLibraryInfo {
        guard let info = devpay_curl_version_info()?.pointee else {
            return CurlLibraryInfo(version: "unknown", tlsBackend: nil, supportsHTTP2: false)
        }
        return CurlLibraryInfo(
            version: String(cString: info.version),
            tlsBackend: info.ssl_version.map { String(cString: $0) },
            supportsHTTP2: info.features & CURL_VERSION_HTTP2 != 0
        )
    }
}
