import DevPayStateMachine
import DevPayStateMachineTesting
import NIOConcurrencyHelpers
import Testing

/// Chunks a test hands to the download effect one at a time, and what became of each.
final class ChunkFeed: Sendable {
    private let state = NIOLockedValueBox<(chunks: [Int], delivered: [Bool])>(([], []))
    let arrived = Latch()

    func add(_ bytes: Int) { state.withLockedValue { $0.chunks.append(bytes) } }
    func next() -> Int? {
        state.withLockedValue { $0.chunks.isEmpty ? nil : $0.chunks.removeFirst() }
    }
    func record(_ delivered: Bool) { state.withLockedValue { $0.delivered.append(delivered) } }
    var delivered: [Bool] { state.withLockedValue { $0.delivered } }
}

@Suite("streaming effects", .timeLimit(.minutes(1)))
struct StreamingEffectTests {
    @Test("an invoked effect streams progress into the chart until its state is left; later sends are dropped visibly")
    func streamAndDrop() async throws {
        let feed = ChunkFeed()
        let proceed = Latch()
        let machine = await ChartMachine(Downloader(), context: .init(), clock: ManualClock()) { _, io in
            // Ignores cancellation on purpose, like a transfer that cannot be interrupted mid-chunk.
            for _ in 0..<2 { if let bytes = feed.next() { feed.record(await io.send(Downloader.Progress(bytes: bytes))) } }
            await proceed.wait()
            while let bytes = feed.next() { feed.record(await io.send(Downloader.Progress(bytes: bytes))) }
        }
        let inspection = await machine.inspect()
        feed.add(10)
        feed.add(20)
        feed.add(40)
        #expect(try await machine.call(Downloader.Start(url: "https://example.com/f")))
        while await machine.context.received < 30 { await Task.yield() }
        #expect(await machine.send(Downloader.Pause()) == .handled)
        #expect(await machine.runningEffectCount == 0, "leaving downloading cancelled the fetch")
        proceed.open()
        while feed.delivered.count < 3 { await Task.yield() }
        #expect(feed.delivered == [true, true, false])
        #expect(await machine.context.received == 30, "the chunk sent after the pause was not counted")
        await machine.stop()

        var drops: [Int] = []
        for await notice in inspection {
            if case .next(.effectResultDropped(_, let event, .paused)) = notice, let progress = event as? Downloader.Progress {
                drops.append(progress.bytes)
            }
        }
        #expect(drops == [40])
    }

    @Test("resuming starts the effect again from what was received, with a fresh stall timer")
    func resume() {
        var core = ChartCore(Downloader(), context: .init())
        core.send(Downloader.Start(url: "u"))
        core.send(Downloader.Progress(bytes: 5))
        core.send(Downloader.Pause())
        core.send(Downloader.Resume())
        let started = core.commands.compactMap { command -> Downloader.Effect? in
            if case .startEffect(_, let effect, .downloading) = command { effect } else { nil }
        }
        #expect(started == [.fetch(url: "u", from: 5)])
        #expect(core.armedTimers == [TimerID(name: "stall", scope: .downloading)])
    }

    @Test("the stall timeout fails a download that stops making progress")
    func stall() async throws {
        let clock = ManualClock()
        let machine = await ChartMachine(Downloader(), context: .init(), clock: clock) { _, _ in }
        try await machine.call(Downloader.Start(url: "u"))
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(30))
        while await machine.state != .failed { await Task.yield() }
        #expect(await machine.activeStates == [.failed])
    }
}

@Suite("inspection", .timeLimit(.minutes(1)))
struct InspectionTests {
    @Test("a subscriber that fell behind learns how many records it missed, even when the machine stops")
    func overflowCountedAtFinish() async {
        let machine = await ChartMachine(Nested(), context: .init(), clock: ManualClock()) { _, _ in
            try? await Task.sleep(for: .seconds(86_400))  // runs until cancelled
        }
        await machine.send(Nested.Power())
        let inspection = await machine.inspect(bufferLimit: 2)
        for _ in 0..<10 { await machine.send(Nested.Bump(by: 1)) }
        await machine.stop()  // also records the cancellation of the watcher and the idle timer
        var notices: [String] = []
        for await notice in inspection {
            switch notice {
            case .next(.transition(let from, _, let to)): notices.append("\(from)->\(to)")
            case .next(let other): notices.append("\(other)")
            case .missed(let count): notices.append("missed \(count)")
            }
        }
        #expect(notices == ["a1->a1", "a1->a1", "missed 10"])
    }

    @Test("the state stream reports skipped states instead of dropping them silently")
    func statesCountLoss() async {
        let machine = await ChartMachine(Nested(), context: .init(), clock: ManualClock()) { _, _ in }
        let states = await machine.states(bufferLimit: 2)
        for _ in 0..<3 {
            await machine.send(Nested.Power())
            await machine.send(Nested.Power())
        }
        await machine.stop()
        var seen: [String] = []
        for await notice in states {
            switch notice {
            case .next(let state): seen.append("\(state)")
            case .missed(let count): seen.append("missed \(count)")
            }
        }
        #expect(seen == ["off", "a1", "missed 5"])
    }

    @Test("a transition is inspected with its exits and entries in order")
    func transitionRecords() {
        var core = ChartCore(Nested(), context: .init(), tracing: true)
        core.send(Nested.Power())
        let names = core.trace.map { record -> String in
            switch record {
            case .exited(let state): "exit \(state)"
            case .entered(let state): "enter \(state)"
            case .transition(let from, let event, let to): "\(from) \(type(of: event).eventName) \(to)"
            case .timerSet(let id, _): "timer \(id.name)"
            case .effectStarted(let id, _): "effect \(id.rawValue)"
            default: "\(record)"
            }
        }
        #expect(names == ["exit off", "enter on", "timer idle", "enter a", "effect 1", "enter a1", "off Power a1"])
    }
}
