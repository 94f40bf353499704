import DevPayHTTP
import DevPayTestSupport
import HTTPTypes
import Testing

@Suite("CurlHTTPClient: exchanges, TLS and policy against a local HTTPS server")
struct CurlHTTPClientTests {
    @Test("a GET over HTTPS with the test CA returns status, header fields and body")
    func getOverHTTPS() async throws {
        try await withServer { server in
            let client = try makeClient()
            let response = try await client.send(server.request("/hello"), body: nil, options: .init())
            #expect(response.head.status == .ok)
            #expect(response.head.headerFields[.contentLength] == "5")
            #expect(response.body == Array("hello".utf8))
        }
    }

    @Test("CA certificates given in memory as PEM are trusted")
    func inMemoryPEM() async throws {
        let pem = try Array(String(contentsOfFile: TestPKI.shared().caFile, encoding: .utf8).utf8)
        try await withServer { server in
            let client = CurlHTTPClient(configuration: .init(trustRoots: .pem(pem)))
            let response = try await client.send(server.request("/hello"), body: nil, options: .init())
            #expect(response.body == Array("hello".utf8))
        }
    }

    @Test("a server whose certificate chains to another CA is refused with a TLS error")
    func wrongCARefused() async throws {
        try await withServer { server in
            let client = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: try TestPKI.shared().otherCAFile)))
            await #expect {
                _ = try await client.send(server.request("/hello"), body: nil, options: .init())
            } throws: { error in
                guard case HTTPClientError.tls = error else { return false }
                return true
            }
        }
    }

    @Test("the system CA bundle does not trust the test CA")
    func systemRootsRefuseTestCA() async throws {
        try await withServer { server in
            let client = CurlHTTPClient()
            await #expect {
                _ = try await client.send(server.request("/hello"), body: nil, options: .init())
            } throws: { error in
                guard case HTTPClientError.tls = error else { return false }
                return true
            }
        }
    }

    @Test("plain http:// is refused by the HTTPS-only policy before any connection is made")
    func plainHTTPRefusedByPolicy() async throws {
        try await withServer(tls: false) { server in
            let client = try makeClient(schemePolicy: .httpsOnly)
            await #expect(throws: HTTPClientError.invalidURL("plain http://\(server.authority) refused: this client sends over HTTPS only")) {
                _ = try await client.send(server.request("/hello"), body: nil, options: .init())
            }
            #expect(client.connectionsOpened == 0)
            let observer = try makeClient(schemePolicy: .allowPlainHTTP)
            #expect(try await server.acceptedConnections(using: observer) == 1)  // only the observer's own
        }
    }

    @Test("plain HTTP works only when the configuration opts in")
    func plainHTTPByOptIn() async throws {
        try await withServer(tls: false) { server in
            let client = try makeClient(schemePolicy: .allowPlainHTTP)
            let response = try await client.send(server.request("/hello"), body: nil, options: .init())
            #expect(response.body == Array("hello".utf8))
        }
    }

    @Test("sequential requests reuse one kept-alive connection")
    func keepAliveReuse() async throws {
        try await withServer { server in
            let client = try makeClient()
            for _ in 0..<20 {
                let response = try await client.send(server.request("/hello"), body: nil, options: .init())
                #expect(response.body == Array("hello".utf8))
            }
            #expect(client.connectionsOpened == 1)
            #expect(try await server.acceptedConnections(using: client) == 1)
        }
    }

    @Test("32 concurrent requests all succeed over at most 32 connections")
    func concurrentRequests() async throws {
        try await withServer { server in
            let client = try makeClient()
            let request = server.request("/bytes?n=1000")
            let bodies = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<32 {
                    group.addTask { try await client.send(request, body: nil, options: .init()).body }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(bodies.count == 32)
            #expect(bodies.allSatisfy { $0 == serverPattern(count: 1000) })
            #expect(client.connectionsOpened <= 32)
            #expect(client.connectionsOpened >= 1)
        }
    }

    @Test("a non-2xx status is a response; requireSuccess turns it into an error with head and body")
    func statusIsAResponseUntilRequired() async throws {
        try await withServer { server in
            let client = try makeClient()
            let response = try await client.send(server.request("/status?code=503"), body: nil, options: .init())
            #expect(response.head.status.code == 503)
            let error = #expect(throws: HTTPStatusError.self) { try response.requireSuccess() }
            #expect(error?.status.code == 503)
            #expect(error?.response.head.headerFields[HTTPField.Name("x-test")!] == "status")
            #expect(error?.response.body == Array("error body".utf8))
            #expect(error?.description == "HTTP status 503")
            #expect(try (try await client.send(server.request("/hello"), body: nil, options: .init())).requireSuccess().body.count == 5)
        }
    }

    @Test("the server receives exactly the caller's header fields: no Accept, Content-Type or Expect added")
    func headersSentAsGiven() async throws {
        try await withServer { server in
            let client = try makeClient()
            var fields = HTTPFields()
            fields[HTTPField.Name("x-amz-date")!] = "20260101T000000Z"
            fields[.authorization] = "AWS4-HMAC-SHA256 Credential=test"
            let response = try await client.send(server.request("/headers", method: .post, headers: fields), body: Array("x".utf8), options: .init())
            let lines = Set(String(decoding: response.body, as: UTF8.self).split(separator: "\n").map(String.init))
            #expect(lines.contains("x-amz-date: 20260101T000000Z"))
            #expect(lines.contains("authorization: AWS4-HMAC-SHA256 Credential=test"))
            #expect(lines.contains("content-length: 1"))
            #expect(!lines.contains { $0.hasPrefix("accept:") || $0.hasPrefix("content-type:") || $0.hasPrefix("expect:") })
        }
    }

    @Test("HEAD returns the head without waiting for a body")
    func headRequest() async throws {
        try await withServer { server in
            let client = try makeClient()
            let response = try await client.send(server.request("/hello", method: .head), body: nil, options: .init())
            #expect(response.head.status == .ok)
            #expect(response.body.isEmpty)
        }
    }
}
