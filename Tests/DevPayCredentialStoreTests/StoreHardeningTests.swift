@testable import DevPayCredentialStore
import Foundation
import Testing

/// Hostile file-system shapes around a profile's files (issue #22, items 2 and 9).
@Suite("credential store against hostile names and file types")
struct StoreHardeningTests {
    @Test("saving `default` leaves a profile named `default.record.tmp-work` (valid) and its lock alone")
    func profileNamedLikeATemporaryFile() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let lookalike = try ProfileName("default.record.tmp-work")
        try await store.save(Fixtures.credentials("other"), profile: lookalike)
        let lookalikeRecord = Fixtures.recordPath(folder, profile: lookalike.name)
        let lookalikeLock = String(lookalikeRecord.dropLast(".record".count)) + ".lock"
        #expect(FileManager.default.fileExists(atPath: lookalikeLock))

        try await store.save(Fixtures.credentials("1"))

        #expect(FileManager.default.fileExists(atPath: lookalikeRecord))
        #expect(FileManager.default.fileExists(atPath: lookalikeLock))
        guard case .found(let stored) = try await store.load(profile: lookalike) else {
            Issue.record("the look-alike profile lost its credentials")
            return
        }
        #expect(stored.credentials == Fixtures.credentials("other"))
    }

    @Test("only names of exactly the temporary shape count as leftovers of a profile")
    func temporaryNameShape() throws {
        let files = RecordFiles(root: "/r", product: Fixtures.product, profile: .standard)
        let fresh = files.temporaryName(random: [UInt8](repeating: 0xAB, count: RecordFiles.temporaryRandomCount))
        #expect(files.isTemporaryName(fresh))
        #expect(files.isTemporaryName("default.record.tmp-1-00112233deadbeef"))
        for other in ["default.record.tmp-work.record", "default.record.tmp-work.lock", "default.record.tmp-1-deadbeef",
                      "default.record.tmp--00112233deadbeef", "default.record.tmp-1-00112233DEADBEEF",
                      "default.record.tmp-1-00112233deadbeef.record", "default.record.tmp-x-00112233deadbeef",
                      "default.record", "default.lock"] {
            #expect(!files.isTemporaryName(other), "\(other)")
        }
    }

    @Test("a FIFO at the record path is refused at once instead of hanging the read")
    func fifoAtRecordPath() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        try await store.save(Fixtures.credentials("1"))
        let record = Fixtures.recordPath(folder)
        try FileManager.default.removeItem(atPath: record)
        #expect(mkfifo(record, 0o600) == 0)

        // Today's open blocks until a writer appears; run it on its own task and bound the wait, so a
        // regression fails here instead of hanging the suite. A writer is opened afterwards to release it.
        let done = Counter()
        let outcome = Task { () -> CredentialStoreError? in
            defer { _ = done.increment() }
            do {
                _ = try await store.load()
                return nil
            } catch {
                return error as? CredentialStoreError
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, done.value == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let finished = done.value == 1
        if !finished {
            let writer = open(record, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
        }
        #expect(finished, "load() hung on a FIFO")
        let refusal = await outcome.value
        #expect(refusal == CredentialStoreError.untrustedPath(record), "\(String(describing: refusal))")
    }
}
