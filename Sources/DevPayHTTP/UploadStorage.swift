import NIOConcurrencyHelpers

/// Shares one streamed request body between the task that iterates the caller's sequence and libcurl's read
/// callback on the transport thread. Decisions: ``UploadStateMachine``; this type locks and acts.
final class UploadStorage: Sendable {
    typealias Producer = CheckedContinuation<Void, any Error>

    private let machine = NIOLockedValueBox(UploadStateMachine<Producer>())
    private let failure = NIOLockedValueBox<(any Error)?>(nil)
    private let resumeReader: @Sendable () -> Void

    init(resumeReader: @escaping @Sendable () -> Void) {
        self.resumeReader = resumeReader
    }

    /// Pulls every chunk of `chunks` into the transfer, one at a time.
    func pump<Chunks: AsyncSequence>(_ chunks: Chunks) async where Chunks.Element == [UInt8] {
        do {
            for try await chunk in chunks where !chunk.isEmpty {
                try await push(chunk)
            }
            finish(failed: false)
        } catch {
            failure.withLockedValue { $0 = error }
            finish(failed: true)
        }
    }

    /// The error the caller's sequence threw, if it did.
    var producerError: (any Error)? { failure.withLockedValue { $0 } }

    /// Transport thread: copies the next bytes into libcurl's buffer; returns the value for the read callback.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let capacity = buffer.count
        switch machine.withLockedValue({ $0.read(capacity: capacity) }) {
        case .copy(let chunk, let offset, let count, let producer):
            chunk.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
            }
            producer?.resume()
            return count
        case .pause:
            return CurlConstants.readPause
        case .end:
            return 0
        case .abort:
            return CurlConstants.readAbort
        }
    }

    /// Transport thread: the transfer is over; a parked producer stops.
    func transferEnded() {
        machine.withLockedValue { $0.transferEnded() }?.resume(throwing: CancellationError())
    }

    private func push(_ chunk: [UInt8]) async throws {
        try await withCheckedCurlThreadContinuation { (producer: Producer) in
            switch machine.withLockedValue({ $0.push(chunk, producer: producer) }) {
            case .park:
                break
            case .parkAndResumeReader:
                resumeReader()
            case .reject(let producer):
                producer.resume(throwing: CancellationError())
            }
        }
    }

    private func finish(failed: Bool) {
        if case .resumeReader = machine.withLockedValue({ $0.finish(failed: failed) }) {
            resumeReader()
        }
    }
}
