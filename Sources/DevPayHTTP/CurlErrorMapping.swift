import CDevPayCurl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What libcurl reports about a failed transfer, beside its result code.
struct CurlFailureDetail: Sendable, Hashable {
    /// libcurl's error buffer: names hosts and system errors, never header fields or query strings.
    var text: String
    /// The request's authority.
    var host: String
    /// OpenSSL's certificate verification result (`X509_V_*`, `CURLINFO_SSL_VERIFYRESULT`), 0 when none.
    var verifyResult: Int = 0
    /// The system's `errno` of a failed connect (`CURLINFO_OS_ERRNO`), 0 when none.
    var osErrno: Int32 = 0
}

extension HTTPClientError {
    /// The typed error for a libcurl result code.
    static func from(curlCode code: CURLcode, detail: String, host: String) -> HTTPClientError {
        from(curlCode: code, detail: CurlFailureDetail(text: detail, host: host))
    }

    /// The typed error for a libcurl result code and what libcurl knows beside it.
    static func from(curlCode code: CURLcode, detail: CurlFailureDetail) -> HTTPClientError {
        let message = detail.text.isEmpty ? String(cString: curl_easy_strerror(code)) : detail.text
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .nameResolution(host: detail.host)
        case CURLE_COULDNT_CONNECT:
            return .connect(connectReason(errno: detail.osErrno, message: message))
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_PEER_FAILED_VERIFICATION:
            return .tls(TLSFailure(verificationReason(detail.verifyResult, message: message), detail: message))
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .tls(TLSFailure(.pinnedKeyMismatch, detail: message))
        case CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE:
            return .tls(TLSFailure(.trustRootsUnusable, detail: message))
        case CURLE_SSL_CONNECT_ERROR where message.contains("reset by peer"):
            // The peer dropped the connection mid-handshake: a broken connection, not a TLS verdict.
            return .transfer(message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls(TLSFailure(.handshake, detail: message))
        case CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge(limit: -1)
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .invalidURL(message)
        default:
            return .transfer(message)
        }
    }

    /// OpenSSL's verdict on the peer's certificate, by what a person can do about it.
    ///
    /// libcurl checks the host name itself after OpenSSL accepted the chain, and then reports
    /// `X509_V_OK` or `X509_V_ERR_UNSPECIFIED` (libcurl 7.88) rather than `X509_V_ERR_HOSTNAME_MISMATCH`; its
    /// text ("no alternative certificate subject name matches target host name") is what says so.
    static func verificationReason(_ verifyResult: Int, message: String) -> TLSFailure.Reason {
        switch verifyResult {
        case 9, 10:  // X509_V_ERR_CERT_NOT_YET_VALID, X509_V_ERR_CERT_HAS_EXPIRED
            .expiredCertificate
        case 62:  // X509_V_ERR_HOSTNAME_MISMATCH
            .hostnameMismatch
        case 0, 1:  // libcurl's own host name check (see above)
            message.contains("host name") ? .hostnameMismatch : .untrustedCertificate
        default:  // 2, 18, 19, 20, 21, 27, …: the chain does not end at a trusted root
            .untrustedCertificate
        }
    }

    /// "connection refused", "no route to host", … first, then libcurl's text.
    static func connectReason(errno code: Int32, message: String) -> String {
        guard code != 0 else { return message }
        return "\(String(cString: strerror(code))) (\(message))"
    }
}
