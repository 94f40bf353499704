import DevPayKit
import Foundation
import Testing

/// A store that cannot be read, and waiting for the subscription: the lifecycle keeps what it cannot read and
/// never asks for a new key because of the disk.
@Suite("Lifecycle: store read failures and waiting until subscribed")
struct LifecycleStoreAndWaitTests {
    @Test("a store read failure keeps the set: the lifecycle reads again later and never asks for a new key")
    func storeReadFailureKeepsTheSet() async throws {
        let store = FakeCredentialStore()
        let service = FakeLicenseService()
        await service.setSubscribed(true)
        let first = await LifecycleHarness(service: service, store: store)
        try await first.lifecycle.activate(key: Fixtures.key.value)
        await first.waitFor(.subscribed)
        await first.lifecycle.shutDown()
        // The next launch finds the disk unreadable once.
        await store.failNextLoads(1)
        let harness = await LifecycleHarness(clock: first.clock, service: service, store: store)
        #expect(await harness.lifecycle.state == .restoring, "not expiredNeedsReactivation: the disk failed, not the set")
        #expect(await store.stored == Fixtures.credentials(1))
        await harness.clock.waitForSleepers(count: 1)
        let retryAt = try #require(harness.clock.nextDeadline)
        harness.clock.advance(to: retryAt)
        await harness.waitFor(.subscribed)
        #expect(await store.stored == Fixtures.credentials(1))
        await harness.lifecycle.shutDown()
    }

    @Test("waitUntilSubscribed returns once polling finds the subscription")
    func waitsForPolling() async throws {
        let harness = await LifecycleHarness()
        try await harness.lifecycle.activate(key: Fixtures.key.value)
        await harness.waitFor(.activatedUnsubscribed(checksLeft: 4))  // the first check said "not yet"
        let waiting = Task { try await harness.lifecycle.waitUntilSubscribed(timeout: .seconds(300)) }
        await harness.service.setSubscribed(true)
        await harness.fireTimer(after: .seconds(30))
        #expect(try await waiting.value == .subscribed)
        #expect(try await harness.lifecycle.waitUntilSubscribed(timeout: .zero) == .subscribed, "already subscribed: at once")
        await harness.lifecycle.shutDown()
    }

    @Test("waitUntilSubscribed throws notSubscribed after its timeout, and at once where only the app can move on")
    func waitGivesUp() async throws {
        let harness = await LifecycleHarness()
        await #expect(throws: DevPayLifecycleError.notSubscribed(.unactivated)) {
            try await harness.lifecycle.waitUntilSubscribed(timeout: .seconds(3600))
        }
        try await harness.lifecycle.activate(key: Fixtures.key.value)
        await harness.waitFor(.activatedUnsubscribed(checksLeft: 4))
        let waiting = Task { try await harness.lifecycle.waitUntilSubscribed(timeout: .seconds(10)) }
        await harness.clock.waitForSleeper(until: harness.clock.now.advanced(by: .seconds(10)))
        harness.clock.advance(by: .seconds(10))
        await #expect(throws: DevPayLifecycleError.self) { try await waiting.value }
        await harness.lifecycle.shutDown()
    }
}
