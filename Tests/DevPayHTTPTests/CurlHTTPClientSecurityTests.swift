import CDevPayCurl
@testable import DevPayHTTP
import DevPayTestSupport
import HTTPTypes
import Testing

/// The transport findings of the security review (issue #22, items 3, 4, 6 and 7).
@Suite("CurlHTTPClient: paths, trust roots, proxies and stalls")
struct CurlHTTPClientSecurityTests {
    @Test("dot segments in a path go out exactly as given (S3 keys are opaque)")
    func dotSegmentsSentAsIs() async throws {
        try await withServer { server in
            let client = try makeClient()
            let path = "/echo-path/a/../../victimbucket/./x"
            let response = try await client.send(server.request(path), body: nil, options: .init())
            #expect(response.head.status == .ok)
            #expect(String(decoding: response.body, as: UTF8.self) == path)
        }
    }

    @Test("a CA file or PEM replaces the system's roots: libcurl's built-in CA folder is cleared too")
    func caFileReplacesSystemRoots() throws {
        func options(_ roots: CurlHTTPClient.Configuration.TrustRoots) -> [CurlOption] {
            CurlHandleFactory.policyOptions(for: .init(trustRoots: roots))
        }
        #expect(options(.caFile(path: "/ca.pem")).contains(.string(CURLOPT_CAPATH, nil)))
        #expect(options(.caFile(path: "/ca.pem")).contains(.string(CURLOPT_CAINFO, "/ca.pem")))
        #expect(options(.pem(Array("PEM".utf8))).contains(.string(CURLOPT_CAPATH, nil)))
        #expect(options(.pem(Array("PEM".utf8))).contains(.string(CURLOPT_CAINFO, nil)))
        #expect(!options(.system).contains { if case .string(CURLOPT_CAPATH, _) = $0 { true } else { false } })
    }

    @Test("an option libcurl refuses fails loudly with .configuration instead of keeping libcurl's default")
    func refusedOptionFails() throws {
        let easy = try #require(curl_easy_init())
        defer { curl_easy_cleanup(easy) }
        #expect(throws: HTTPClientError.self) { try CurlOption.long(CURLOPT_SSLVERSION, 999).apply(to: easy) }
        #expect {
            try CurlOption.string(CURLoption(rawValue: 10_999), "x").apply(to: easy)
        } throws: { error in
            guard case .configuration = error as? HTTPClientError else { return false }
            return true
        }
        try CurlOption.string(CURLOPT_CAPATH, nil).apply(to: easy)
    }

    @Test("a server trickling one byte per second fails with .timeout once the stall window passes")
    func trickleStalls() async throws {
        try await withServer { server in
            let client = try makeClient()
            let options = HTTPRequestOptions(
                totalTimeout: .seconds(45), stallLimit: .init(minimumBytes: 64, window: .seconds(2)))
            let (_, elapsed) = await measure {
                await #expect(throws: HTTPClientError.timeout) {
                    _ = try await client.send(server.request("/trickle?n=600"), body: nil, options: options)
                }
            }
            // 600 s of trickle, a 45 s total timeout: the 2 s window must end it well before either (the bound
            // is loose for a loaded two-core machine, yet below the total timeout, which also reports .timeout).
            #expect(elapsed < .seconds(30))
        }
    }

    @Test("every transfer has a stall limit unless the caller turns it off")
    func stallLimitByDefault() {
        #expect(HTTPRequestOptions().stallLimit == .standard)
        let (rate, seconds) = CurlHandleFactory.curlLowSpeed(.init(minimumBytes: 1024, window: .seconds(30)))
        #expect(rate == 35 && seconds == 30)
    }

    @Test("plain HTTP through a configured proxy is refused before any I/O; the proxy sees nothing")
    func plainHTTPThroughProxyRefused() async throws {
        try await withServer(tls: false) { proxy in
            let client = CurlHTTPClient(configuration: .init(
                schemePolicy: .allowPlainHTTP, proxy: .url("http://\(proxy.authority)")))
            var request = HTTPRequest(method: .get, scheme: "http", authority: "s3.victim.invalid", path: "/bucket/key")
            request.headerFields[.authorization] = "AWS4-HMAC-SHA256 Credential=AKID/secret-signature"
            await #expect {
                _ = try await client.send(request, body: nil, options: .init())
            } throws: { error in
                guard case .invalidURL = error as? HTTPClientError else { return false }
                return true
            }
            #expect(client.connectionsOpened == 0)
            // Our own question is the proxy's first connection: nothing came before it.
            let accepted = try await proxy.acceptedConnections(using: try makeClient(schemePolicy: .allowPlainHTTP))
            #expect(accepted == 1)
        }
    }

    @Test("HTTPS through a configured proxy is tunnelled (CONNECT) and verified end to end")
    func httpsThroughProxy() async throws {
        try await withServer(tls: false) { proxy in
            try await withServer { server in
                let client = CurlHTTPClient(configuration: .init(
                    trustRoots: .caFile(path: try TestPKI.shared().caFile), proxy: .url("http://\(proxy.authority)")))
                let response = try await client.send(server.request("/hello"), body: nil, options: .init())
                #expect(response.body == Array("hello".utf8))
                let accepted = try await proxy.acceptedConnections(using: try makeClient(schemePolicy: .allowPlainHTTP))
                #expect(accepted == 2)
            }
        }
    }
}
