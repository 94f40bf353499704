/// The flow-control core of a streamed request body: a producer task pushes one chunk at a time, libcurl's
/// read callback (on the transport thread) copies it out. Pure, like ``ResponseBodyStateMachine``:
/// ``UploadStorage`` owns it behind a lock and performs the returned actions.
///
/// At most one chunk is held: the producer is parked until libcurl has taken all of it, and libcurl is paused
/// (`CURL_READFUNC_PAUSE`) while no chunk is there.
struct UploadStateMachine<Producer> {
    enum PushAction {
        /// Park the producer until its chunk is consumed; nothing else.
        case park
        /// Park the producer and unpause the transfer, which was waiting for data.
        case parkAndResumeReader
        /// The transfer is over: fail the producer at once.
        case reject(Producer)
    }

    enum ReadAction {
        /// Copy `count` bytes of `chunk` starting at `offset`; resume `producer` if the chunk is used up.
        case copy(chunk: [UInt8], offset: Int, count: Int, resumeProducer: Producer?)
        /// Nothing buffered yet: pause the transfer.
        case pause
        /// The body is complete.
        case end
        /// The producer failed: abort the transfer.
        case abort
    }

    enum FinishAction {
        case none
        case resumeReader
    }

    private var chunk: [UInt8] = []
    private var offset = 0
    private var producer: Producer?
    private var readerPaused = false
    private var producerDone = false
    private(set) var producerFailed = false
    private var transferOver = false

    /// The producer hands over a chunk and will wait on `producer`.
    mutating func push(_ newChunk: [UInt8], producer waiting: Producer) -> PushAction {
        if transferOver { return .reject(waiting) }
        precondition(producer == nil && offset == chunk.count, "one chunk at a time")
        chunk = newChunk
        offset = 0
        producer = waiting
        if readerPaused {
            readerPaused = false
            return .parkAndResumeReader
        }
        return .park
    }

    /// libcurl wants up to `capacity` bytes.
    mutating func read(capacity: Int) -> ReadAction {
        if offset < chunk.count {
            let count = min(capacity, chunk.count - offset)
            let start = offset
            offset += count
            var finished: Producer?
            if offset == chunk.count {
                finished = producer
                producer = nil
            }
            return .copy(chunk: chunk, offset: start, count: count, resumeProducer: finished)
        }
        if producerFailed { return .abort }
        if producerDone { return .end }
        readerPaused = true
        return .pause
    }

    /// The producer has no more chunks (`failed`: it threw).
    mutating func finish(failed: Bool) -> FinishAction {
        producerDone = true
        producerFailed = failed
        if readerPaused {
            readerPaused = false
            return .resumeReader
        }
        return .none
    }

    /// The transfer ended: a parked producer must not wait forever.
    mutating func transferEnded() -> Producer? {
        transferOver = true
        defer { producer = nil }
        return producer
    }
}

/// Sendable so that ``UploadStorage`` can keep it in its lock (`NIOLockedValueBox` asks for it).
extension UploadStateMachine: Sendable where Producer: Sendable {}
