@testable import DevPayHTTP
import PropertyBased
import Testing

@Suite("ResponseBodyStateMachine properties: no byte lost, duplicated or reordered; memory bounded; never stuck")
struct ResponseBodyFlowProperties {
    /// Replays a random interleaving of a producer (libcurl offering chunks, re-offering a refused one after a
    /// resume) and a consumer (reading), then drains. Ops 0–5 offer a chunk of 3·(op+1) bytes, 6–9 read.
    @Test("any interleaving of offers and reads delivers the stream intact within the window")
    func interleavings() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...9).array(of: 0...300)) { ops in
            let high = 16, low = 8, largestChunk = 18
            var machine = ResponseBodyStateMachine<Int>(highWatermark: high, lowWatermark: low)
            var produced = 0  // next byte value the producer will send
            var pending: [UInt8]?  // the chunk libcurl keeps after a pause, offered again on resume
            var paused = false
            var delivered: [UInt8] = []
            var consumerWaiting = false

            func offer(_ chunk: [UInt8]) {
                switch machine.offer(chunk) {
                case .accepted: pending = nil
                case .resumeConsumer:
                    delivered += chunk
                    consumerWaiting = false
                    pending = nil
                case .pause:
                    pending = chunk
                    paused = true
                }
            }
            func read() {
                guard !consumerWaiting else { return }
                switch machine.next() {
                case .chunk(let chunk): delivered += chunk
                case .chunkAndResumeProducer(let chunk):
                    delivered += chunk
                    #expect(paused)
                    paused = false
                    if let again = pending { offer(again) }
                case .wait:
                    if case .suspended = machine.suspend(1) { consumerWaiting = true }
                case .end, .fail: Issue.record("the transfer has not ended")
                }
            }

            for op in ops {
                if op < 6 {
                    guard !paused else { continue }  // a paused transfer produces nothing
                    let chunk = (0..<3 * (op + 1)).map { UInt8(truncatingIfNeeded: produced + $0) }
                    produced += chunk.count
                    offer(chunk)
                } else {
                    read()
                }
                #expect(machine.bufferedBytes < high + largestChunk)
            }
            // Drain: the consumer keeps reading; a paused producer must be resumed before the buffer runs dry.
            for _ in 0..<10_000 {
                if !paused, let again = pending {
                    offer(again)
                    continue
                }
                if machine.bufferedBytes == 0 { break }
                read()
            }
            #expect(pending == nil, "stuck: the producer is paused with nothing buffered")
            #expect(!paused)
            #expect(delivered == (0..<produced).map { UInt8(truncatingIfNeeded: $0) })
            #expect(machine.peakBufferedBytes < high + largestChunk)
        }
    }
}
