@testable import DevPayHTTP
import Testing

@Suite("ResponseBodyStateMachine: backpressure decisions without I/O")
struct ResponseBodyStateMachineTests {
    typealias Machine = ResponseBodyStateMachine<Int>

    @Test("chunks are buffered until the high watermark, then the producer is paused")
    func pausesAtHighWatermark() {
        var machine = Machine(highWatermark: 10, lowWatermark: 4)
        #expect(machine.offer([1, 2, 3, 4, 5, 6]) == .accepted)
        #expect(machine.offer([7, 8, 9, 10]) == .accepted)
        #expect(machine.bufferedBytes == 10)
        #expect(machine.offer([11]) == .pause)
        #expect(machine.bufferedBytes == 10)  // the refused chunk is libcurl's to offer again
        #expect(machine.pauseCount == 1)
    }

    @Test("the producer resumes only once the consumer drains to the low watermark")
    func resumesAtLowWatermark() {
        var machine = Machine(highWatermark: 10, lowWatermark: 4)
        _ = machine.offer([1, 2, 3, 4, 5, 6])
        _ = machine.offer([7, 8, 9, 10])
        _ = machine.offer([11])
        #expect(machine.next() == .chunkAndResumeProducer([1, 2, 3, 4, 5, 6]))
        #expect(machine.offer([11]) == .accepted)
        #expect(machine.next() == .chunk([7, 8, 9, 10]))
        #expect(machine.next() == .chunk([11]))
        #expect(machine.next() == .wait)
    }

    @Test("a waiting consumer gets the next chunk directly, without buffering")
    func waitingConsumerGetsChunk() {
        var machine = Machine(highWatermark: 10, lowWatermark: 4)
        #expect(machine.next() == .wait)
        #expect(machine.suspend(7) == .suspended)
        #expect(machine.offer([1, 2]) == .resumeConsumer(7))
        #expect(machine.bufferedBytes == 0)
    }

    @Test("buffered chunks are delivered before the end, failures after the data")
    func endAfterData() {
        var machine = Machine(highWatermark: 10, lowWatermark: 4)
        _ = machine.offer([1])
        #expect(machine.finish(.failed(.timeout)) == .none)
        #expect(machine.next() == .chunk([1]))
        #expect(machine.next() == .fail(.failed(.timeout)))
        var complete = Machine(highWatermark: 10, lowWatermark: 4)
        #expect(complete.finish(.complete) == .none)
        #expect(complete.next() == .end)
    }

    @Test("a parked consumer is woken by the end of the transfer")
    func parkedConsumerWokenByEnd() {
        var machine = Machine(highWatermark: 10, lowWatermark: 4)
        #expect(machine.suspend(3) == .suspended)
        #expect(machine.finish(.failed(.cancelled)) == .resumeConsumer(3, .failed(.cancelled)))
        #expect(machine.finish(.complete) == .none)  // only the first end counts
    }

    @Test("a chunk that arrived between next() and suspend() is handed over at once")
    func raceBetweenNextAndSuspend() {
        var machine = Machine(highWatermark: 10, lowWatermark: 4)
        #expect(machine.next() == .wait)
        _ = machine.offer([5])
        #expect(machine.suspend(1) == .resumeNow(.chunk([5])))
    }
}

@Suite("UploadStateMachine: one chunk in flight, reader paused when empty")
struct UploadStateMachineTests {
    typealias Machine = UploadStateMachine<Int>

    @Test("an empty buffer pauses the reader; the next push resumes it")
    func pauseAndResume() {
        var machine = Machine()
        guard case .pause = machine.read(capacity: 4) else { Issue.record("expected pause"); return }
        guard case .parkAndResumeReader = machine.push([1, 2, 3], producer: 1) else { Issue.record("expected resume"); return }
    }

    @Test("a chunk is copied out in reader-sized pieces and the producer resumes after the last one")
    func copyInPieces() {
        var machine = Machine()
        guard case .park = machine.push([1, 2, 3, 4, 5], producer: 9) else { Issue.record("expected park"); return }
        guard case .copy(_, 0, 2, nil) = machine.read(capacity: 2) else { Issue.record("first piece"); return }
        guard case .copy(_, 2, 2, nil) = machine.read(capacity: 2) else { Issue.record("second piece"); return }
        guard case .copy(_, 4, 1, 9?) = machine.read(capacity: 2) else { Issue.record("last piece resumes producer"); return }
    }

    @Test("the end of the sequence ends the body; a failure aborts it")
    func endAndAbort() {
        var finished = Machine()
        guard case .none = finished.finish(failed: false) else { Issue.record("no reader to wake"); return }
        guard case .end = finished.read(capacity: 8) else { Issue.record("expected end"); return }
        var failed = Machine()
        _ = failed.read(capacity: 8)
        guard case .resumeReader = failed.finish(failed: true) else { Issue.record("paused reader must wake"); return }
        guard case .abort = failed.read(capacity: 8) else { Issue.record("expected abort"); return }
    }

    @Test("after the transfer ended, a parked producer is released and new chunks are rejected")
    func transferEnded() {
        var machine = Machine()
        _ = machine.push([1], producer: 4)
        #expect(machine.transferEnded() == 4)
        guard case .reject(5) = machine.push([2], producer: 5) else { Issue.record("expected reject"); return }
    }
}
