@testable import DevPayCredentialStore
import Foundation
import Testing

/// The profile lock as another process would hold it: a separate open file description on the same file.
@Suite("profile lock")
struct LockingTests {
    static func holdLock(_ folder: TemporaryFolder) async throws -> FileLock {
        let path = Fixtures.recordPath(folder).replacingOccurrences(of: ".record", with: ".lock")
        return try await Offload.run { () throws(CredentialStoreError) in try FileLock.acquireExclusive(path: path) }
    }

    @Test("load does not wait for a held lock; save waits until it is released")
    func loadDoesNotWaitSaveDoes() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let first = try await store.save(Fixtures.credentials("1"))
        let lock = try await Self.holdLock(folder)

        #expect(try await store.load() == .found(first))
        let saving = Task { try await store.save(Fixtures.credentials("2")) }
        try await Task.sleep(for: .milliseconds(150))
        #expect(try await store.load() == .found(first), "save went ahead while the lock was held")
        lock.release()
        let second = try await saving.value
        #expect(try await store.load() == .found(second))
    }

    @Test("a reactivation cancelled while waiting for the lock never calls the License Service")
    func cancelledWhileWaiting() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let old = try await store.save(Fixtures.credentials("old"))
        let lock = try await Self.holdLock(folder)
        let calls = Counter()

        let waiting = Task {
            try await store.reactivate(replacing: old.revision) {
                _ = calls.increment()
                return Fixtures.credentials("new")
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        lock.release()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(calls.value == 0)
        #expect(try await store.load() == .found(old))
        // The cancelled caller released the lock on its way out.
        _ = try await store.save(Fixtures.credentials("after"))
    }
}
