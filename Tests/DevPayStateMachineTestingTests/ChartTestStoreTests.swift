import DevPayStateMachine
import DevPayStateMachineTesting
import Testing

@Suite("ChartTestStore: exhaustive assertions over the pure chart")
struct ChartTestStoreTests {
    let url = "https://example.com/f"

    @Test("a transfer asserted exhaustively: replies, effects, timers, context and states")
    func exhaustiveTransfer() {
        let store = ChartTestStore(Transfer(), context: .init())
        let start = store.call(Transfer.Start(url: url), state: .connecting) { $0.url = url }
        store.expectReply(start, true)
        let connect = store.expectEffect(.connect(url: url))
        store.expectTimer("stall", after: Transfer.stallTimeout, in: .running)

        store.deliver(Transfer.Connected(), from: connect, state: .receiving)
        store.expectEffectCancelled(connect)
        let receive = store.expectEffect(.receive(url: url, from: 0))

        store.advance(by: .seconds(20))
        store.deliver(Transfer.Chunk(bytes: 10), from: receive) { $0.received = 10 }
        store.expectTimerCancelled("stall")  // restarted: the old arming goes, a new one is set
        store.expectTimer("stall", after: Transfer.stallTimeout, in: .running)

        store.deliver(Transfer.Finished(), from: receive, state: .done)
        store.expectEffectCancelled(receive)
        store.expectTimerCancelled("stall")
        store.finish()
    }

    @Test("a region timer fires on virtual time, cancelling the effects of the region it leaves")
    func stallTimesOut() {
        let store = ChartTestStore(Transfer(), context: .init())
        let start = store.call(Transfer.Start(url: url), state: .connecting) { $0.url = url }
        store.expectReply(start, true)
        let connect = store.expectEffect(.connect(url: url))
        store.expectTimer("stall", after: Transfer.stallTimeout)
        store.advance(by: .seconds(29))
        store.advance(by: .seconds(1), state: .failed)
        store.expectEffectCancelled(connect)
    }

    @Test("a result that arrives after its effect's region was left is dropped, and asserted as dropped")
    func staleResultIsDropped() {
        let store = ChartTestStore(Transfer(), context: .init(), exhaustivity: .off)
        store.send(Transfer.Start(url: url), state: .connecting)
        store.send(Transfer.Connected(), state: .receiving)
        let receive = store.runningEffects.first { $0.value == .receive(url: url, from: 0) }!.key
        store.send(Transfer.Pause(), state: .paused)
        store.deliver(Transfer.Chunk(bytes: 5), from: receive, disposition: nil)
        #expect(store.context.received == 0)
        store.send(Transfer.Resume(), state: .receiving)  // history: back where it was
        store.skipInFlight()
    }

    @Test("a rejected call is failed, and the failure must be asserted like a reply")
    func rejectedCall() {
        let store = ChartTestStore(Transfer(), context: .init())
        let finished = store.call(Transfer.Finished())
        store.expectFailure(finished, .rejected(state: "idle", event: Transfer.Finished.eventName))
        let empty = store.call(Transfer.Start(url: ""))
        store.expectReply(empty, false)
    }

    @Test("an effect the test does not assert fails it")
    func unassertedEffectFails() {
        withKnownIssue {
            let store = ChartTestStore(Transfer(), context: .init())
            let start = store.call(Transfer.Start(url: url), state: .connecting) { $0.url = url }
            store.expectReply(start, true)
            store.expectTimer("stall", after: Transfer.stallTimeout)
            store.skipInFlight()
            store.finish()  // the started .connect effect was never asserted
        } matching: { issue in
            issue.description.contains("not asserted") && issue.description.contains("connect")
        }
    }

    @Test("an unasserted reply, timer or change of state fails the test too")
    func otherUnassertedThingsFail() {
        withKnownIssue {
            let store = ChartTestStore(Transfer(), context: .init())
            _ = store.call(Transfer.Start(url: url)) { $0.url = url }  // state change not asserted
            store.skipInFlight()
            store.finish()  // reply, effect and timer not asserted
        } matching: { issue in
            issue.description.contains("assert it with state: .connecting") || issue.description.contains("not asserted")
        }
    }

    @Test("effects and timers still in flight at the end fail an exhaustive test")
    func inFlightAtTheEndFails() {
        withKnownIssue {
            let store = ChartTestStore(Transfer(), context: .init())
            let start = store.call(Transfer.Start(url: url), state: .connecting) { $0.url = url }
            store.expectReply(start, true)
            store.expectEffect(.connect(url: url))
            store.expectTimer("stall", after: Transfer.stallTimeout)
            store.finish()
        } matching: { issue in
            issue.description.contains("Still in flight")
        }
    }

    @Test("a wrong expectation of the context fails the test")
    func wrongContextFails() {
        withKnownIssue {
            let store = ChartTestStore(Transfer(), context: .init(), exhaustivity: .off)
            store.send(Transfer.Start(url: url), state: .connecting) { $0.url = "elsewhere" }
        }
    }

    @Test("non-exhaustive mode checks only what the test asserts")
    func nonExhaustive() {
        let store = ChartTestStore(Transfer(), context: .init(), exhaustivity: .off)
        store.send(Transfer.Start(url: url))
        store.send(Transfer.Connected())
        store.send(Transfer.Chunk(bytes: 3)) { $0.received = 3 }
        store.send(Transfer.Cancel(), state: .idle)
    }
}
