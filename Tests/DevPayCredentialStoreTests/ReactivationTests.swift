@testable import DevPayCredentialStore
import Foundation
import Testing

@Suite("single-flight reactivation in one process")
struct ReactivationTests {
    @Test("tasks that find the same set invalid at once activate exactly once and share the result")
    func singleFlight() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let invalid = try await store.save(Fixtures.credentials("old"))
        let calls = Counter()

        let outcomes = try await withThrowingTaskGroup(of: ReactivationOutcome.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await store.reactivate(replacing: invalid.revision) {
                        let call = calls.increment()
                        try await Task.sleep(for: .milliseconds(30))
                        return Fixtures.credentials("new\(call)")
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(calls.value == 1)
        #expect(outcomes.filter { if case .activated = $0 { true } else { false } }.count == 1)
        #expect(Set(outcomes.map(\.stored.revision)).count == 1)
        #expect(outcomes.first?.stored.credentials == Fixtures.credentials("new1"))
        #expect(try await store.load() == .found(outcomes[0].stored))
    }

    @Test("with no readable set, the first caller activates and later callers adopt its set")
    func fromNothing() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let first = try await store.reactivate(replacing: nil) { Fixtures.credentials("a") }
        let second = try await store.reactivate(replacing: nil) { Fixtures.credentials("b") }
        guard case .activated(let stored) = first else {
            Issue.record("expected an activation, got \(first)")
            return
        }
        #expect(second == .adopted(stored))
    }

    @Test("a failed activation leaves the old set in place")
    func failedActivationKeepsOldSet() async throws {
        struct LicenseServiceDown: Error {}
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let old = try await store.save(Fixtures.credentials("old"))
        await #expect(throws: LicenseServiceDown.self) {
            try await store.reactivate(replacing: old.revision) { throw LicenseServiceDown() }
        }
        #expect(try await store.load() == .found(old))
        // The lock was released: a retry goes through.
        let retried = try await store.reactivate(replacing: old.revision) { Fixtures.credentials("new") }
        #expect(retried.stored.credentials == Fixtures.credentials("new"))
    }

    @Test("an unreadable record is quarantined and reactivated in one go")
    func unreadableThenReactivate() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        try await store.save(Fixtures.credentials("old"))
        try writeBytes(Array("DPCR garbage".utf8), to: Fixtures.recordPath(folder))
        let lookup = try await store.load()
        guard case .missing(.unreadable(.truncated, _)) = lookup else {
            Issue.record("expected a truncated record, got \(lookup)")
            return
        }
        let outcome = try await store.reactivate(replacing: lookup.stored?.revision) { Fixtures.credentials("new") }
        guard case .activated(let stored) = outcome else {
            Issue.record("expected an activation, got \(outcome)")
            return
        }
        #expect(stored.revision.generation == 1)
    }

    /// Stands in for the lifecycle actor: its activation closure touches actor state without `await`.
    actor Lifecycle {
        let store: CredentialStore
        var activations = 0

        init(store: CredentialStore) { self.store = store }

        func reactivate(replacing failed: CredentialRevision?) async throws -> ReactivationOutcome {
            try await store.reactivate(replacing: failed) {
                activations += 1
                return Fixtures.credentials("from-actor-\(activations)")
            }
        }
    }

    @Test("an actor can reactivate with a closure that uses its own state")
    func actorClosure() async throws {
        let folder = try TemporaryFolder()
        let lifecycle = Lifecycle(store: Fixtures.store(folder))
        let outcome = try await lifecycle.reactivate(replacing: nil)
        #expect(outcome.stored.credentials == Fixtures.credentials("from-actor-1"))
        #expect(await lifecycle.activations == 1)
    }
}
