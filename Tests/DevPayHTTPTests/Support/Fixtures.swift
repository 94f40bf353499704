import DevPayHTTP
import DevPayTestSupport
import HTTPTypes

/// Runs `body` against a fresh local server and always stops the server afterwards.
func withServer<Result>(tls: Bool = true, _ body: (TestServer) async throws -> Result) async throws -> Result {
    try await withPeer(try await TestServer.start(tls: tls), body)
}

/// A client that trusts the test CA (from its file).
func makeClient(
    schemePolicy: CurlHTTPClient.Configuration.SchemePolicy = .httpsOnly,
    streamingBufferBytes: Int = 1 << 20
) throws -> CurlHTTPClient {
    CurlHTTPClient(configuration: .init(
        trustRoots: .caFile(path: try TestPKI.shared().caFile),
        schemePolicy: schemePolicy,
        streamingBufferBytes: streamingBufferBytes
    ))
}

extension TestServer {
    func request(_ path: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: method, scheme: scheme, authority: authority, path: path, headerFields: headers)
    }

    /// TCP connections the server has accepted so far, asked over a connection of its own (counted too).
    func acceptedConnections(using client: CurlHTTPClient) async throws -> Int {
        let response = try await client.send(request("/connections"), body: nil, options: .init())
        return Int(String(decoding: response.body, as: UTF8.self)) ?? -1
    }
}

/// The bytes the server's `/bytes`, `/chunked` and `/stream` routes send: 0, 1, …, 255, 0, 1, …
func serverPattern(count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0) }
}

/// zlib's Adler-32, which the server's `/upload` route reports.
struct Adler32 {
    private var a: UInt32 = 1
    private var b: UInt32 = 0

    mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
    }

    var value: UInt32 { b << 16 | a }
}

/// How long `body` takes on the continuous clock.
func measure<Result>(_ body: () async throws -> Result) async rethrows -> (Result, Duration) {
    let start = ContinuousClock.now
    let result = try await body()
    return (result, ContinuousClock.now - start)
}
