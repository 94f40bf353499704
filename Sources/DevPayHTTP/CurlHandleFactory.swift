import CDevPayCurl
import HTTPTypes

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns an `HTTPRequest` and its body into a configured libcurl easy handle, applying the client's policy:
/// allowed schemes, TLS verification and roots, timeouts, and exactly the header fields the caller set (libcurl's
/// own defaults such as `Accept`, `Content-Type` and `Expect: 100-continue` are suppressed, because S3 and the
/// License Service sign the headers they receive).
struct CurlHandleFactory: Sendable {
    let configuration: CurlHTTPClient.Configuration
    let handles: CurlHandlePool
    let suppressedDefaults = SuppressedDefaultFields()

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

        devpay_curl_easy_setopt_string(easy, CURLOPT_URL, url)
        devpay_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        devpay_curl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, allowedProtocols)
        devpay_curl_easy_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, allowedProtocols)
        devpay_curl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        devpay_curl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        devpay_curl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1)
        devpay_curl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        devpay_curl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.curlMilliseconds)
        devpay_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, options.totalTimeout.curlMilliseconds)
        applyTLS(to: easy)
        // A HEAD answer has no body, but libcurl checks its Content-Length against the limit all the same.
        if let responseLimit, request.method != .head {
            devpay_curl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(responseLimit))
        }

        let method = request.method
        var uploadFile: UnsafeMutablePointer<FILE>?
        var uploadLength: Int64 = 0
        switch body.source {
        case .empty:
            if method == .head {
                devpay_curl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
            } else if method != .get {
                devpay_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue)
            }
        case .bytes(let bytes):
            devpay_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            if bytes.isEmpty {
                devpay_curl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                bytes.withUnsafeBytes { bytes in
                    _ = devpay_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
            if method != .post { devpay_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue) }
        case .file(let path, let range):
            guard let file = fopen(path, "rb") else {
                throw .transfer("cannot open the request body file (errno \(errno))")
            }
            uploadFile = file
            var status = stat()
            guard fstat(fileno(file), &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
                fclose(file)
                throw .transfer("the request body file is not a regular file")
            }
            let length = range.map { $0.upperBound - $0.lowerBound } ?? Int64(status.st_size)
            if let range {
                guard range.upperBound <= Int64(status.st_size), fseeko(file, off_t(range.lowerBound), SEEK_SET) == 0 else {
                    fclose(file)
                    throw .transfer("the request body file is shorter than the range to send")
                }
            }
            uploadLength = length
            devpay_curl_easy_setopt_long(easy, CURLOPT_UPLOAD, 1)
            devpay_curl_easy_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(length))
            if method != .put { devpay_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue) }
        case .stream(let length, _):
            devpay_curl_easy_setopt_long(easy, CURLOPT_UPLOAD, 1)
            devpay_curl_easy_setopt_off_t(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(length ?? -1))
            if method != .put { devpay_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method.rawValue) }
        }
        var streamsUpload = false
        if case .stream = body.source { streamsUpload = true }
        transfer.installCallbacks(headers: CurlHeaderList(fields: request.headerFields, shared: suppressedDefaults), uploadFile: uploadFile.map { ($0, uploadLength) }, streamsUpload: streamsUpload)
        return transfer
    }

    private var allowedProtocols: String {
        configuration.schemePolicy == .httpsOnly ? "https" : "http,https"
    }

    private func applyTLS(to easy: UnsafeMutableRawPointer) {
        devpay_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        devpay_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        devpay_curl_easy_setopt_long(easy, CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        switch configuration.trustRoots {
        case .system:
            break
        case .caFile(let path):
            devpay_curl_easy_setopt_string(easy, CURLOPT_CAINFO, path)
        case .pem(let pem):
            pem.withUnsafeBytes { pem in
                // CURL_BLOB_COPY: libcurl copies the bytes before this call returns.
                var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: pem.baseAddress), len: pem.count,
                                     flags: UInt32(CURL_BLOB_COPY))
                _ = devpay_curl_easy_setopt_blob(easy, CURLOPT_CAINFO_BLOB, &blob)
            }
        }
    }
}
