@testable import DevPayHTTP
import DevPayTestSupport
import DevPayStateMachineTesting
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import Testing

@Suite("CurlHTTPClient: streamed bodies, backpressure and progress", .serialized)
struct CurlHTTPClientStreamingTests {
    @Test("a 200 MiB body streams through with backpressure and bounded memory")
    func largeDownloadWithBoundedMemory() async throws {
        let megabytes = 200
        try await withServer { server in
            let client = try makeClient(streamingBufferBytes: 1 << 20)
            let residentBefore = residentMemoryBytes()
            let (received, storage) = try await client.execute(
                server.request("/stream?mb=\(megabytes)"), options: .init(totalTimeout: .seconds(120))
            ) { head, body in
                #expect(head.status == .ok)
                var received = 0
                var first = true
                var iterator = body.makeAsyncIterator()
                while let chunk = try await iterator.next() {
                    if first {
                        // A slow reader at first: the transport must pause instead of buffering the stream.
                        try await Task.sleep(for: .milliseconds(300))
                        first = false
                    }
                    #expect(chunk.first == UInt8(truncatingIfNeeded: received))
                    received += chunk.count
                }
                guard case .live(let storage) = body.source else { throw TestSetupError("not a live body") }
                return (received, storage)
            }
            #expect(received == megabytes << 20)
            #expect(storage.pauseCount > 0)
            #expect(storage.peakBufferedBytes <= (1 << 20) + curlMaxWriteSizeBytes)
            // The exact bound is the one above; the resident set is process-wide and other suites run beside this
            // one, so its bound only has to show that the 200 MiB never sat in memory at once. Not under a
            // sanitizer: AddressSanitizer's quarantine keeps freed chunks resident (+164 MB here).
            if !SanitizerRun.isActive {
                #expect(residentMemoryBytes() - residentBefore < 150 << 20)
            }
        }
    }

    @Test("returning from the receive closure early aborts the rest of the transfer")
    func abandoningTheBodyAbortsTheTransfer() async throws {
        try await withServer { server in
            let client = try makeClient()
            let (firstChunk, elapsed) = try await measure {
                try await client.execute(server.request("/stream?mb=20000")) { _, body in
                    var iterator = body.makeAsyncIterator()
                    return try await iterator.next()
                }
            }
            #expect(firstChunk?.isEmpty == false)
            // 20 GB would take minutes; returning after one chunk must end it far sooner, even on a loaded machine.
            #expect(elapsed < .seconds(30))
            let response = try await client.send(server.request("/hello"), body: nil, options: .init())
            #expect(response.body == Array("hello".utf8))
        }
    }

    @Test("cancelling the task that reads a streamed body ends the iteration with .cancelled")
    func cancellingTheReader() async throws {
        try await withServer { server in
            let client = try makeClient()
            let request = server.request("/stream?mb=500")
            let started = NIOLockedValueBox(false)
            let task = Task {
                try await client.execute(request) { _, body in
                    var received = 0
                    for try await chunk in body {
                        received += chunk.count
                        started.withLockedValue { $0 = true }
                    }
                    return received
                }
            }
            while !started.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            task.cancel()
            await #expect(throws: HTTPClientError.cancelled) { try await task.value }
        }
    }

    @Test("an upload from an async sequence of known length arrives complete and in order")
    func streamedUploadWithLength() async throws {
        let chunkCount = 16
        let chunk = serverPattern(count: 1 << 20)
        var expected = Adler32()
        for _ in 0..<chunkCount { expected.update(chunk) }
        try await withServer { server in
            let client = try makeClient()
            let chunks = AsyncStream<[UInt8]> { continuation in
                for _ in 0..<chunkCount { continuation.yield(chunk) }
                continuation.finish()
            }
            let response = try await client.send(
                server.request("/upload", method: .put),
                body: .stream(length: Int64(chunkCount << 20), chunks)
            )
            #expect(String(decoding: response.body, as: UTF8.self) == "\(chunkCount << 20) \(expected.value)")
        }
    }

    @Test("an upload of unknown length goes out chunked")
    func streamedUploadChunked() async throws {
        let pieces = (0..<50).map { serverPattern(count: 1000 + $0) }
        var expected = Adler32()
        for piece in pieces { expected.update(piece) }
        let total = pieces.reduce(0) { $0 + $1.count }
        try await withServer { server in
            let client = try makeClient()
            let response = try await client.send(
                server.request("/upload", method: .post),
                body: .stream(length: nil, AsyncStream { continuation in
                    for piece in pieces { continuation.yield(piece) }
                    continuation.finish()
                })
            )
            #expect(String(decoding: response.body, as: UTF8.self) == "\(total) \(expected.value)")
        }
    }

    @Test("an error thrown by the body sequence aborts the upload and reaches the caller as is")
    func failingUploadSequence() async throws {
        struct DiskGone: Error, Equatable {}
        try await withServer { server in
            let client = try makeClient()
            let failing = AsyncThrowingStream<[UInt8], any Error> { continuation in
                continuation.yield(serverPattern(count: 4096))
                continuation.finish(throwing: DiskGone())
            }
            await #expect(throws: DiskGone()) {
                _ = try await client.send(server.request("/upload", method: .put), body: .stream(length: 1 << 20, failing))
            }
        }
    }

    @Test("cancelling a large streamed upload aborts it promptly and stops pulling the sequence")
    func cancellingAnUpload() async throws {
        try await withServer { server in
            let client = try makeClient()
            let chunks = EndlessChunks()
            let request = server.request("/upload", method: .put)
            let task = Task {
                try await client.send(request, body: .stream(length: 1 << 40, chunks), options: .init(totalTimeout: .seconds(60)))
            }
            while chunks.pulled < 20 { try await Task.sleep(for: .milliseconds(10)) }
            let (result, elapsed) = await measure {
                task.cancel()
                return await task.result
            }
            #expect(throws: HTTPClientError.cancelled) { try result.get() }
            #expect(elapsed < .seconds(20))  // the upload is endless and the total timeout 60 s
            let pulledAfterCancel = chunks.pulled
            try await Task.sleep(for: .milliseconds(200))
            #expect(chunks.pulled <= pulledAfterCancel + 1)  // the pump stopped (at most one chunk was in flight)
        }
    }

    @Test("a file is uploaded from disk with its length and reports upload progress")
    func fileUploadWithProgress() async throws {
        let bytes = serverPattern(count: 3 << 20)
        var expected = Adler32()
        expected.update(bytes)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-upload-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withServer { server in
            let client = try makeClient()
            let reports = NIOLockedValueBox<[HTTPTransferProgress]>([])
            let response = try await client.send(
                server.request("/upload", method: .put), body: .file(path: path), options: .init(),
                progress: { report in reports.withLockedValue { $0.append(report) } }
            )
            #expect(String(decoding: response.body, as: UTF8.self) == "\(bytes.count) \(expected.value)")
            let last = try #require(reports.withLockedValue { $0.last })
            #expect(last.bytesSent == Int64(bytes.count))
            #expect(last.bytesToSend == Int64(bytes.count))
            let sent = reports.withLockedValue { $0.map(\.bytesSent) }
            #expect(sent == sent.sorted())
        }
    }

    @Test("download progress counts up to the announced length")
    func downloadProgress() async throws {
        try await withServer { server in
            let client = try makeClient()
            let reports = NIOLockedValueBox<[HTTPTransferProgress]>([])
            let response = try await client.send(
                server.request("/bytes?n=5000000"), body: .empty, options: .init(maximumResponseBytes: 10_000_000),
                progress: { report in reports.withLockedValue { $0.append(report) } }
            )
            #expect(response.body.count == 5_000_000)
            let last = try #require(reports.withLockedValue { $0.last })
            #expect(last.bytesReceived == 5_000_000)
            #expect(last.bytesToReceive == 5_000_000)
            #expect(reports.withLockedValue { $0.count } > 1)
        }
    }
}

/// 64 KiB chunks for ever, produced only when asked for, counting how many were pulled.
private final class EndlessChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    private let count = NIOLockedValueBox(0)
    private static let chunk = serverPattern(count: 64 << 10)

    var pulled: Int { count.withLockedValue { $0 } }

    struct AsyncIterator: AsyncIteratorProtocol {
        let source: EndlessChunks
        mutating func next() async -> [UInt8]? {
            source.count.withLockedValue { $0 += 1 }
            return EndlessChunks.chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}

/// libcurl hands the write callback at most this much at once (CURL_MAX_WRITE_SIZE).
private let curlMaxWriteSizeBytes = 16 * 1024

/// The process's resident set, from /proc (Linux).
private func residentMemoryBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    else { return 0 }
    return kilobytes * 1024
}
