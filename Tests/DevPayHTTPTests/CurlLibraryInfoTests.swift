import DevPayHTTP
import Testing

@Suite("libcurl as loaded")
struct CurlLibraryInfoTests {
    @Test("libcurl is built with OpenSSL for TLS")
    func tlsBackendIsOpenSSL() throws {
        let info = CurlLibraryInfo.current
        #expect(info.version != "unknown")
        let backend = try #require(info.tlsBackend)
        #expect(backend.hasPrefix("OpenSSL/3"))
    }
}
