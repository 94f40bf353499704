/// The flow-control core of a streamed response body: libcurl produces chunks on the transport thread, one
/// consumer task reads them. Pure: it performs no I/O and resumes nothing; ``ResponseBodyStorage`` owns it behind
/// a lock and carries out the returned actions outside the lock.
///
/// Backpressure: while `bufferedBytes` is at or above `highWatermark` the producer is told to pause (libcurl's
/// `CURL_WRITEFUNC_PAUSE`, which keeps the refused chunk and offers it again); once the consumer has drained
/// the buffer to `lowWatermark` or below, the producer is told to resume (`curl_easy_pause(CURLPAUSE_CONT)`).
struct ResponseBodyStateMachine<Consumer> {
    enum OfferAction {
        /// The chunk was buffered; nothing else to do.
        case accepted
        /// Give the chunk straight to the waiting consumer.
        case resumeConsumer(Consumer)
        /// Refuse the chunk and pause the transfer until ``ConsumeAction/resumeProducer``.
        case pause
    }

    enum ConsumeAction: Equatable {
        case chunk([UInt8])
        case chunkAndResumeProducer([UInt8])
        case end
        case fail(HTTPBodyEnd)
        /// Nothing buffered yet: park the consumer (call ``suspend(_:)``).
        case wait
    }

    enum SuspendAction {
        case suspended
        case resumeNow(ConsumeAction)
    }

    enum FinishAction {
        case none
        case resumeConsumer(Consumer, HTTPBodyEnd)
    }

    let highWatermark: Int
    let lowWatermark: Int
    private(set) var bufferedBytes = 0
    private(set) var peakBufferedBytes = 0
    private(set) var pauseCount = 0
    private var chunks: [[UInt8]] = []
    private var firstChunk = 0
    private var consumer: Consumer?
    private var producerPaused = false
    private var end: HTTPBodyEnd?

    init(highWatermark: Int, lowWatermark: Int) {
        precondition(lowWatermark < highWatermark)
        self.highWatermark = highWatermark
        self.lowWatermark = lowWatermark
    }

    /// The producer has `chunk`; decides whether it is taken.
    mutating func offer(_ chunk: [UInt8]) -> OfferAction {
        if let waiting = consumer {
            consumer = nil
            return .resumeConsumer(waiting)
        }
        if bufferedBytes >= highWatermark {
            producerPaused = true
            pauseCount += 1
            return .pause
        }
        chunks.append(chunk)
        bufferedBytes += chunk.count
        peakBufferedBytes = max(peakBufferedBytes, bufferedBytes)
        return .accepted
    }

    /// The consumer asks for the next chunk without waiting.
    mutating func next() -> ConsumeAction {
        guard firstChunk < chunks.count else {
            switch end {
            case nil: return .wait
            case .complete?: return .end
            case let failure?: return .fail(failure)
            }
        }
        let chunk = chunks[firstChunk]
        firstChunk += 1
        if firstChunk == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            firstChunk = 0
        }
        bufferedBytes -= chunk.count
        if producerPaused && bufferedBytes <= lowWatermark {
            producerPaused = false
            return .chunkAndResumeProducer(chunk)
        }
        return .chunk(chunk)
    }

    /// Parks the consumer after ``next()`` said `.wait`, unless something arrived in between.
    mutating func suspend(_ waiting: Consumer) -> SuspendAction {
        let now = next()
        if case .wait = now {} else { return .resumeNow(now) }
        precondition(consumer == nil, "one consumer at a time")
        consumer = waiting
        return .suspended
    }

    /// The transfer ended (completely or not); buffered chunks are still delivered before the end.
    mutating func finish(_ outcome: HTTPBodyEnd) -> FinishAction {
        guard end == nil else { return .none }
        end = outcome
        if let waiting = consumer {
            consumer = nil
            return .resumeConsumer(waiting, outcome)
        }
        return .none
    }
}

/// How a response body stream ended.
enum HTTPBodyEnd: Equatable {
    case complete
    case failed(HTTPClientError)
}

extension ResponseBodyStateMachine.OfferAction: Equatable where Consumer: Equatable {}
extension ResponseBodyStateMachine.SuspendAction: Equatable where Consumer: Equatable {}
extension ResponseBodyStateMachine.FinishAction: Equatable where Consumer: Equatable {}
/// Sendable so that ``ResponseBodyStorage`` can keep it in its lock (`NIOLockedValueBox` asks for it).
extension ResponseBodyStateMachine: Sendable where Consumer: Sendable {}
