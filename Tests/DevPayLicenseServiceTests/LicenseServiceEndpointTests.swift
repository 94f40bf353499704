import DevPayLicenseService
import Testing

@Suite("License Service endpoint")
struct LicenseServiceEndpointTests {
    @Test("plain HTTP is refused")
    func plainHTTPRefused() {
        #expect(throws: LicenseServiceEndpointError.notHTTPS("http://ls.amazonaws.com/")) {
            try LicenseServiceEndpoint("http://ls.amazonaws.com/")
        }
    }

    @Test("an HTTPS address without a path gets a trailing slash")
    func trailingSlash() throws {
        #expect(try LicenseServiceEndpoint("https://127.0.0.1:8443").url == "https://127.0.0.1:8443/")
        #expect(LicenseServiceEndpoint.amazon.url == "https://ls.amazonaws.com/")
    }

    @Test("an address without a host or with user information is refused")
    func missingHost() {
        #expect(throws: LicenseServiceEndpointError.self) { try LicenseServiceEndpoint("https:///path") }
        #expect(throws: LicenseServiceEndpointError.self) { try LicenseServiceEndpoint("https://user@host/") }
    }
}
