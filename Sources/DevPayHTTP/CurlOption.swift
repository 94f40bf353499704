import CDevPayCurl

/// One libcurl easy option and its value. Every option the client sets goes through ``apply(to:)``, which checks
/// libcurl's answer: an option this libcurl does not know, or a value it rejects, fails the request with
/// ``HTTPClientError/configuration(_:)`` instead of leaving libcurl's default in place unnoticed.
enum CurlOption: Sendable, Equatable {
    case long(CURLoption, Int)
    /// `nil` resets a string option to "none" (not to libcurl's built-in default).
    case string(CURLoption, String?)
    case offset(CURLoption, curl_off_t)
    /// Copied by libcurl (`CURL_BLOB_COPY`) before `apply` returns.
    case blob(CURLoption, [UInt8])

    func apply(to easy: UnsafeMutableRawPointer) throws(HTTPClientError) {
        switch self {
        case .long(let option, let value):
            try Self.check(devpay_curl_easy_setopt_long(easy, option, value), option)
        case .string(let option, let value):
            try Self.check(devpay_curl_easy_setopt_string(easy, option, value), option)
        case .offset(let option, let value):
            try Self.check(devpay_curl_easy_setopt_off_t(easy, option, value), option)
        case .blob(let option, let bytes):
            let code = bytes.withUnsafeBytes { bytes in
                var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: bytes.baseAddress), len: bytes.count,
                                     flags: UInt32(CURL_BLOB_COPY))
                return devpay_curl_easy_setopt_blob(easy, option, &blob)
            }
            try Self.check(code, option)
        }
    }

    /// Throws when libcurl refused `option`.
    static func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPClientError) {
        guard code != CURLE_OK else { return }
        throw .configuration("libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
    }
}
