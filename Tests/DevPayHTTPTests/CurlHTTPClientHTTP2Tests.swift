import DevPayHTTP
import HTTPTypes
import Testing

@Suite("CurlHTTPClient: HTTP/2 where the server offers it (nginx)")
struct CurlHTTPClientHTTP2Tests {
    @Test("HTTPS to an HTTP/2 server speaks HTTP/2 and multiplexes 32 concurrent requests over one connection")
    func multiplexing() async throws {
        let server = try await TestServer.startHTTP2()
        do {
            let client = try makeClient()
            let protocolName = try await client.send(server.request("/protocol"), body: nil, options: .init())
            #expect(String(decoding: protocolName.body, as: UTF8.self) == "HTTP/2.0")
            let request = server.request("/hello")
            let bodies = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<32 {
                    group.addTask { try await client.send(request, body: nil, options: .init()).body }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(bodies.allSatisfy { $0 == Array("hello".utf8) })
            #expect(client.connectionsOpened == 1)
            await server.stop()
        } catch {
            await server.stop()
            throw error
        }
    }
}
