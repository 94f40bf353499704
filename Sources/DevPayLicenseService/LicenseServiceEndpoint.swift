/// The address of a License Service.
///
/// The service accepts HTTPS only, and so does this type: a plain `http://` address is refused when it is
/// made, long before any request could leak a product token over the wire.
public struct LicenseServiceEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Amazon's address, `https://ls.amazonaws.com/`.
    public static let amazon = LicenseServiceEndpoint(validated: "https://ls.amazonaws.com/")

    /// The endpoint's URL, always `https://…/`.
    public let url: String

    private init(validated url: String) {
        self.url = url
    }

    /// Checks `url` and keeps it, with a trailing slash added when the path is empty.
    ///
    /// - Throws: ``LicenseServiceEndpointError`` when the scheme is not `https` or there is no host.
    public init(_ url: String) throws(LicenseServiceEndpointError) {
        let prefix = "https://"
        guard url.lowercased().hasPrefix(prefix) else {
            throw .notHTTPS(url)
        }
        let rest = url.dropFirst(prefix.count)
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty, !host.contains("@") else {
            throw .missingHost(url)
        }
        self.url = rest.contains("/") ? url : url + "/"
    }

    public var description: String { url }
}

/// Why an endpoint address was refused.
public enum LicenseServiceEndpointError: Error, Sendable, Hashable {
    /// The License Service is reachable over HTTPS only.
    case notHTTPS(String)
    /// The address has no host, or carries user information.
    case missingHost(String)
}
