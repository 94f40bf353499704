import CDevPayCurl
import HTTPTypes

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns an `HTTPRequest` and its body into a configured libcurl easy handle, applying the client's policy:
/// allowed schemes, TLS verification and roots, proxy, timeouts, and exactly the header fields the caller set
/// (libcurl's own defaults such as `Accept`, `Content-Type` and `Expect: 100-continue` are suppressed, because S3
/// and the License Service sign the headers they receive). Every option is checked (``CurlOption``).
struct CurlHandleFactory: Sendable {
    let configuration: CurlHTTPClient.Configuration
    let handles: CurlHandlePool
    let suppressedDefaults = SuppressedDefaultFields()
    /// The options that depend only on the configuration (TLS, proxy, protocols), worked out once.
    let policyOptions: [CurlOption]

    init(configuration: CurlHTTPClient.Configuration, handles: CurlHandlePool) {
        self.configuration = configuration
        self.handles = handles
        policyOptions = Self.policyOptions(for: configuration)
    }

    /// The URL libcurl will fetch, or a typed refusal. Errors never quote the path or query.
    func url(for request: HTTPRequest) throws(HTTPClientError) -> String {
        guard let scheme = request.scheme?.lowercased(), let authority = request.authority, !authority.isEmpty,
              let path = request.path, path.hasPrefix("/")
        else { throw .invalidURL("a request needs a scheme, an authority and an absolute path") }
        switch (scheme, configuration.schemePolicy) {
        case ("https", _), ("http", .allowPlainHTTP):
            break
        case ("http", .httpsOnly):
            throw .invalidURL("plain http://\(authority) refused: this client sends over HTTPS only")
        default:
            throw .invalidURL("scheme \(scheme) is not supported")
        }
        if scheme == "http", case .url = configuration.proxy {
            throw .invalidURL("plain http://\(authority) through a proxy refused: the proxy would see the signed request")
        }
        return "\(scheme)://\(authority)\(path)"
    }

    /// A ready transfer; `responseLimit` makes libcurl refuse a larger announced `Content-Length` up front.
    /// The caller attaches a sink and hands the transfer to the event loop.
    func makeTransfer(
        _ request: HTTPRequest,
        body: HTTPRequestBody,
        options: HTTPRequestOptions,
        responseLimit: Int?,
        progress: HTTPProgressHandler?
    ) throws(HTTPClientError) -> CurlTransfer {
        let url = try url(for: request)
        _ = CurlConstants.globalInitialisation
        guard let easy = handles.take() else { throw .transfer("curl_easy_init failed: out of memory") }
        let transfer = CurlTransfer(easy: easy, handles: handles, authority: request.authority ?? "", progress: progress)

        // On a refusal the transfer is dropped, and its `deinit` gives the handle back to the pool.
        // A HEAD answer has no body, but libcurl checks its Content-Length against the limit all the same.
        try configure(easy, url: url, options: options, responseLimit: request.method == .head ? nil : responseLimit)
        try configureBody(easy, request: request, body: body, transfer: transfer)
        return transfer
    }

    private func configure(
        _ easy: UnsafeMutableRawPointer, url: String, options: HTTPRequestOptions, responseLimit: Int?
    ) throws(HTTPClientError) {
        try CurlOption.string(CURLOPT_URL, url).apply(to: easy)
        for option in policyOptions { try option.apply(to: easy) }
        try CurlOption.long(CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.curlMilliseconds).apply(to: easy)
        try CurlOption.long(CURLOPT_TIMEOUT_MS, options.totalTimeout.curlMilliseconds).apply(to: easy)
        let (limit, seconds) = options.stallLimit.map(Self.curlLowSpeed) ?? (0, 0)
        try CurlOption.long(CURLOPT_LOW_SPEED_LIMIT, limit).apply(to: easy)
        try CurlOption.long(CURLOPT_LOW_SPEED_TIME, seconds).apply(to: easy)
        if let responseLimit {
            try CurlOption.offset(CURLOPT_MAXFILESIZE_LARGE, curl_off_t(responseLimit)).apply(to: easy)
        }
    }

    /// libcurl's form of a stall limit: bytes per second (rounded up, at least 1) over whole seconds.
    static func curlLowSpeed(_ limit: HTTPRequestOptions.StallLimit) -> (bytesPerSecond: Int, seconds: Int) {
        let seconds = max(1, Int(limit.window.components.seconds))
        return (max(1, (limit.minimumBytes + seconds - 1) / seconds), seconds)
    }

    private func configureBody(
        _ easy: UnsafeMutableRawPointer, request: HTTPRequest, body: HTTPRequestBody, transfer: CurlTransfer
    ) throws(HTTPClientError) {
        let method = request.method
        var uploadFile: UnsafeMutablePointer<FILE>?
        var uploadLength: Int64 = 0
        switch body.source {
        case .empty:
            if method == .head {
                try CurlOption.long(CURLOPT_NOBODY, 1).apply(to: easy)
            } else if method != .get {
                try CurlOption.string(CURLOPT_CUSTOMREQUEST, method.rawValue).apply(to: easy)
            }
        case .bytes(let bytes):
            try CurlOption.offset(CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)).apply(to: easy)
            if bytes.isEmpty {
                try CurlOption.string(CURLOPT_COPYPOSTFIELDS, "").apply(to: easy)
            } else {
                let code = bytes.withUnsafeBytes { bytes in
                    devpay_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
                try CurlOption.check(code, CURLOPT_COPYPOSTFIELDS)
            }
            if method != .post { try CurlOption.string(CURLOPT_CUSTOMREQUEST, method.rawValue).apply(to: easy) }
        case .file(let path, let range):
            guard let file = fopen(path, "rb") else {
                throw .transfer("cannot open the request body file (errno \(errno))")
            }
            var status = stat()
            guard fstat(fileno(file), &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
                fclose(file)
                throw .transfer("the request body file is not a regular file")
            }
            if let range {
                guard range.upperBound <= Int64(status.st_size), fseeko(file, off_t(range.lowerBound), SEEK_SET) == 0 else {
                    fclose(file)
                    throw .transfer("the request body file is shorter than the range to send")
                }
            }
            let length = range.map { $0.upperBound - $0.lowerBound } ?? Int64(status.st_size)
            do {
                try CurlOption.long(CURLOPT_UPLOAD, 1).apply(to: easy)
                try CurlOption.offset(CURLOPT_INFILESIZE_LARGE, curl_off_t(length)).apply(to: easy)
                if method != .put { try CurlOption.string(CURLOPT_CUSTOMREQUEST, method.rawValue).apply(to: easy) }
            } catch {
                fclose(file)
                throw error
            }
            uploadFile = file
            uploadLength = length
        case .stream(let length, _):
            try CurlOption.long(CURLOPT_UPLOAD, 1).apply(to: easy)
            try CurlOption.offset(CURLOPT_INFILESIZE_LARGE, curl_off_t(length ?? -1)).apply(to: easy)
            if method != .put { try CurlOption.string(CURLOPT_CUSTOMREQUEST, method.rawValue).apply(to: easy) }
        }
        var streamsUpload = false
        if case .stream = body.source { streamsUpload = true }
        try transfer.installCallbacks(
            headers: CurlHeaderList(fields: request.headerFields, shared: suppressedDefaults),
            uploadFile: uploadFile.map { ($0, uploadLength) }, streamsUpload: streamsUpload)
    }

    /// The options fixed by the configuration. With a CA file or PEM, libcurl's built-in CA folder is cleared
    /// too: setting only the file would trust it *in addition to* the system's folder of roots.
    static func policyOptions(for configuration: CurlHTTPClient.Configuration) -> [CurlOption] {
        let protocols = configuration.schemePolicy == .httpsOnly ? "https" : "http,https"
        var options: [CurlOption] = [
            .long(CURLOPT_NOSIGNAL, 1),
            .string(CURLOPT_PROTOCOLS_STR, protocols),
            .string(CURLOPT_REDIR_PROTOCOLS_STR, protocols),
            .long(CURLOPT_FOLLOWLOCATION, 0),
            // S3 keys are opaque: `a/../b` is a key, not a path to normalise (libcurl would send `/b`).
            .long(CURLOPT_PATH_AS_IS, 1),
            .long(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS)),
            .long(CURLOPT_PIPEWAIT, 1),
            .long(CURLOPT_TCP_KEEPALIVE, 1),
            .long(CURLOPT_SSL_VERIFYPEER, 1),
            .long(CURLOPT_SSL_VERIFYHOST, 2),
            .long(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2)),
        ]
        switch configuration.trustRoots {
        case .system:
            break
        case .caFile(let path):
            options += [.string(CURLOPT_CAINFO, path), .string(CURLOPT_CAPATH, nil)]
        case .pem(let pem):
            options += [.blob(CURLOPT_CAINFO_BLOB, pem), .string(CURLOPT_CAINFO, nil), .string(CURLOPT_CAPATH, nil)]
        }
        switch configuration.proxy {
        case .none:
            // An empty proxy disables proxies, including the ones named by environment variables.
            options.append(.string(CURLOPT_PROXY, ""))
        case .url(let proxy):
            options += [.string(CURLOPT_PROXY, proxy), .string(CURLOPT_NOPROXY, ""), .long(CURLOPT_HTTPPROXYTUNNEL, 1)]
        }
        return options
    }
}
