import CDevPayCurl
@testable import DevPayHTTP
import Testing

@Suite("libcurl result codes map to typed errors")
struct CurlErrorMappingTests {
    @Test("each failure class gets its own case", arguments: [
        (CURLE_COULDNT_RESOLVE_HOST, HTTPClientError.nameResolution(host: "example.test")),
        (CURLE_COULDNT_CONNECT, .connect("detail")),
        (CURLE_OPERATION_TIMEDOUT, .timeout),
        (CURLE_PEER_FAILED_VERIFICATION, .tls("detail")),
        (CURLE_SSL_CONNECT_ERROR, .tls("detail")),
        (CURLE_SSL_CACERT_BADFILE, .tls("detail")),
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

    @Test("without libcurl's detail the message is libcurl's text for the code")
    func fallbackMessage() {
        #expect(HTTPClientError.from(curlCode: CURLE_COULDNT_CONNECT, detail: "", host: "h") == .connect("Couldn't connect to server"))
    }
}
