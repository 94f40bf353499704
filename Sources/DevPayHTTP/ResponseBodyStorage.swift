import NIOConcurrencyHelpers

/// Shares one streamed response body between the transport thread (producer) and the consuming task.
///
/// The flow-control decisions live in ``ResponseBodyStateMachine``; this type holds it behind a lock, and
/// resumes continuations and asks the event loop to unpause the transfer outside the lock.
final class ResponseBodyStorage: Sendable {
    typealias Consumer = CheckedContinuation<[UInt8]?, any Error>

    private let machine: NIOLockedValueBox<ResponseBodyStateMachine<Consumer>>
    /// Called (outside the lock, on the consumer's task) when the producer may continue.
    private let resumeProducer: @Sendable () -> Void

    init(highWatermark: Int, lowWatermark: Int, resumeProducer: @escaping @Sendable () -> Void) {
        machine = NIOLockedValueBox(ResponseBodyStateMachine(highWatermark: highWatermark, lowWatermark: lowWatermark))
        self.resumeProducer = resumeProducer
    }

    /// Producer side (transport thread). Returns `false` when the transfer must pause; the chunk is then offered
    /// again after the consumer has made room.
    func offer(_ chunk: [UInt8]) -> Bool {
        switch machine.withLockedValue({ $0.offer(chunk) }) {
        case .accepted:
            return true
        case .resumeConsumer(let consumer):
            consumer.resume(returning: chunk)
            return true
        case .pause:
            return false
        }
    }

    /// Producer side: the transfer is over.
    func finish(_ outcome: HTTPBodyEnd) {
        if case .resumeConsumer(let consumer, let outcome) = machine.withLockedValue({ $0.finish(outcome) }) {
            Self.resume(consumer, with: outcome)
        }
    }

    /// Consumer side: the next chunk, or `nil` at the end of the body.
    func next() async throws -> [UInt8]? {
        let immediate = machine.withLockedValue { $0.next() }
        if let result = try deliver(immediate) { return result }
        return try await withCheckedCurlThreadContinuation { (consumer: Consumer) in
            switch machine.withLockedValue({ $0.suspend(consumer) }) {
            case .suspended:
                break
            case .resumeNow(let action):
                consumer.resume(with: Result { try deliver(action) ?? nil })
            }
        }
    }

    /// Most bytes ever held at once (for tests and benchmarks of the memory bound).
    var peakBufferedBytes: Int { machine.withLockedValue { $0.peakBufferedBytes } }
    /// How often the producer was paused.
    var pauseCount: Int { machine.withLockedValue { $0.pauseCount } }

    /// Turns a decision into the consumer's answer; `nil` means "must wait". The outer optional is "decided",
    /// the inner one is "end of body".
    private func deliver(_ action: ResponseBodyStateMachine<Consumer>.ConsumeAction) throws -> [UInt8]?? {
        switch action {
        case .chunk(let chunk):
            return .some(chunk)
        case .chunkAndResumeProducer(let chunk):
            resumeProducer()
            return .some(chunk)
        case .end:
            return .some(nil)
        case .fail(let end):
            if case .failed(let error) = end { throw error }
            return .some(nil)
        case .wait:
            return nil
        }
    }

    private static func resume(_ consumer: Consumer, with outcome: HTTPBodyEnd) {
        switch outcome {
        case .complete: consumer.resume(returning: nil)
        case .failed(let error): consumer.resume(throwing: error)
        }
    }
}
