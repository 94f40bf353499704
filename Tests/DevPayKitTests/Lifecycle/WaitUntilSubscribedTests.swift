import DevPayKit
import Testing

@Suite("DevPayLifecycle.waitUntilSubscribed(timeout:)")
struct WaitUntilSubscribedTests {
    /// A harness activated with the subscription still pending (first check done), and a task waiting for the
    /// subscription with `timeout`.
    func pendingWait(timeout: Duration) async throws
        -> (LifecycleHarness, Task<ActivationState, any Error>)
    {
        let harness = await LifecycleHarness()
        await harness.waitFor(.unactivated)
        try await harness.lifecycle.activate(key: Fixtures.key.value)
        await harness.waitFor(.activatedUnsubscribed(checksLeft: 4))
        let lifecycle = harness.lifecycle
        return (harness, Task { try await lifecycle.waitUntilSubscribed(timeout: timeout) })
    }

    @Test("returns once the polling after an activation finds the subscription")
    func returnsWhenSubscribed() async throws {
        let (harness, waiting) = try await pendingWait(timeout: .seconds(600))
        await harness.service.setSubscribed(true)
        await harness.fireTimer(after: .seconds(30))
        #expect(try await waiting.value == .subscribed)
        // Already subscribed: returns at once, without any time passing.
        #expect(try await harness.lifecycle.waitUntilSubscribed(timeout: .zero) == .subscribed)
    }

    @Test("the timeout on the lifecycle's clock ends the wait with notSubscribed and the state then")
    func timesOut() async throws {
        let (harness, waiting) = try await pendingWait(timeout: .seconds(10))
        await harness.fireTimer(after: .seconds(10))
        await #expect(throws: DevPayLifecycleError.notSubscribed(.activatedUnsubscribed(checksLeft: 4))) {
            try await waiting.value
        }
    }

    @Test("a lifecycle resting where only a key helps fails the wait at once")
    func unactivatedFailsAtOnce() async {
        let harness = await LifecycleHarness()
        await harness.waitFor(.unactivated)
        await #expect(throws: DevPayLifecycleError.notSubscribed(.unactivated)) {
            try await harness.lifecycle.waitUntilSubscribed(timeout: .seconds(600))
        }
    }

    @Test("shutting the lifecycle down ends the wait with shutDown")
    func shutDownEndsTheWait() async throws {
        let (harness, waiting) = try await pendingWait(timeout: .seconds(600))
        await harness.clock.waitForSleeper(until: harness.clock.now.advanced(by: .seconds(600)))
        await harness.lifecycle.shutDown()
        await #expect(throws: DevPayLifecycleError.shutDown) { try await waiting.value }
    }
}
