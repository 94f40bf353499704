/// A response body delivered in chunks as they arrive, with backpressure: while the reader does not ask for
/// more, the transport stops reading from the socket (so a multi-gigabyte S3 object never sits in memory).
///
/// Iterate it once, from one task. Cancelling that task aborts the transfer; the iteration then throws
/// ``HTTPClientError/cancelled``. A transfer failure mid-body throws the matching ``HTTPClientError``.
public struct HTTPResponseBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    enum Source: Sendable {
        case live(ResponseBodyStorage)
        case chunks([[UInt8]])
    }

    let source: Source

    init(storage: ResponseBodyStorage) {
        source = .live(storage)
    }

    /// A body made of fixed chunks, for transports that test code scripts.
    public init(chunks: [[UInt8]]) {
        source = .chunks(chunks)
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source)
    }

    /// Reads the body into memory, failing with ``HTTPClientError/responseTooLarge(limit:)`` beyond `limit` bytes.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in self {
            guard bytes.count + chunk.count <= limit else { throw HTTPClientError.responseTooLarge(limit: limit) }
            bytes += chunk
        }
        return bytes
    }

    /// Pulls chunks from the transport.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let source: Source
        private var scriptedIndex = 0

        init(source: Source) {
            self.source = source
        }

        public mutating func next() async throws -> [UInt8]? {
            switch source {
            case .live(let storage):
                return try await storage.next()
            case .chunks(let chunks):
                guard scriptedIndex < chunks.count else { return nil }
                defer { scriptedIndex += 1 }
                return chunks[scriptedIndex]
            }
        }
    }
}
