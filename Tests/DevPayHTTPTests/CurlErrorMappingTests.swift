import CDevPayCurl
@testable import DevPayHTTP
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("libcurl result codes map to typed errors")
struct CurlErrorMappingTests {
    @Test("each failure class gets its own case", arguments: [
        (CURLE_COULDNT_RESOLVE_HOST, HTTPClientError.nameResolution(host: "example.test")),
        (CURLE_COULDNT_CONNECT, .connect("detail")),
        (CURLE_OPERATION_TIMEDOUT, .timeout),
        (CURLE_PEER_FAILED_VERIFICATION, .tls(TLSFailure(.untrustedCertificate, detail: "detail"))),
        (CURLE_SSL_PINNEDPUBKEYNOTMATCH, .tls(TLSFailure(.pinnedKeyMismatch, detail: "detail"))),
        (CURLE_SSL_CONNECT_ERROR, .tls(TLSFailure(.handshake, detail: "detail"))),
        (CURLE_SSL_CACERT_BADFILE, .tls(TLSFailure(.trustRootsUnusable, detail: "detail"))),
        (CURLE_ABORTED_BY_CALLBACK, .cancelled),
        (CURLE_RECV_ERROR, .transfer("detail")),
        (CURLE_SEND_ERROR, .transfer("detail")),
        (CURLE_GOT_NOTHING, .transfer("detail")),
        (CURLE_PARTIAL_FILE, .transfer("detail")),
        (CURLE_URL_MALFORMAT, .invalidURL("detail")),
    ])
    func mapping(code: CURLcode, expected: HTTPClientError) {
        #expect(HTTPClientError.from(curlCode: code, detail: "detail", host: "example.test") == expected)
    }

    @Test("a failed verification is named by OpenSSL's verdict, or by libcurl's own host name check", arguments: [
        (10, "SSL certificate problem: certificate has expired", TLSFailure.Reason.expiredCertificate),
        (9, "SSL certificate problem: certificate is not yet valid", .expiredCertificate),
        (62, "SSL: certificate subject name does not match", .hostnameMismatch),
        (1, "SSL: no alternative certificate subject name matches target host name '127.0.0.1'", .hostnameMismatch),
        (0, "SSL: no alternative certificate subject name matches target host name '127.0.0.1'", .hostnameMismatch),
        (18, "SSL certificate problem: self-signed certificate", .untrustedCertificate),
        (20, "SSL certificate problem: unable to get local issuer certificate", .untrustedCertificate),
    ])
    func verification(result: Int, text: String, reason: TLSFailure.Reason) {
        let error = HTTPClientError.from(
            curlCode: CURLE_PEER_FAILED_VERIFICATION, detail: CurlFailureDetail(text: text, host: "h", verifyResult: result))
        #expect(error == .tls(TLSFailure(reason, detail: text)))
    }

    @Test("a failed connect starts with the system's reason")
    func connectReason() {
        let refused = HTTPClientError.from(
            curlCode: CURLE_COULDNT_CONNECT, detail: CurlFailureDetail(text: "Failed to connect", host: "h", osErrno: ECONNREFUSED))
        #expect(refused == .connect("Connection refused (Failed to connect)"))
        let unroutable = HTTPClientError.from(
            curlCode: CURLE_COULDNT_CONNECT, detail: CurlFailureDetail(text: "Failed to connect", host: "h", osErrno: EHOSTUNREACH))
        #expect(unroutable == .connect("No route to host (Failed to connect)"))
    }

    @Test("a reset during the handshake is a broken connection, not a TLS verdict")
    func resetDuringHandshake() {
        let error = HTTPClientError.from(curlCode: CURLE_SSL_CONNECT_ERROR, detail: "OpenSSL SSL_connect: Connection reset by peer", host: "h")
        #expect(error == .transfer("OpenSSL SSL_connect: Connection reset by peer"))
    }

    @Test("without libcurl's detail the message is libcurl's text for the code")
    func fallbackMessage() {
        #expect(HTTPClientError.from(curlCode: CURLE_COULDNT_CONNECT, detail: "", host: "h") == .connect("Couldn't connect to server"))
    }
}
