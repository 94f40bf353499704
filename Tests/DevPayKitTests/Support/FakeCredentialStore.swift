import DevPayKit

/// An in-memory credential store with atomic replacement, injectable write failures and corruption.
actor FakeCredentialStore: CredentialStoring {
    private(set) var record: StoredSet = .missing
    /// Fail the next saves (the record is left as it was).
    var failingSaves = 0
    private(set) var saves = 0
    private(set) var deletes = 0

    init(_ record: StoredSet = .missing) {
        self.record = record
    }

    var stored: LifecycleCredentials? {
        if case .found(let credentials) = record { credentials } else { nil }
    }

    /// Fail the next loads as a store that cannot be read (permissions, I/O); the record stays.
    var failingLoads = 0

    func failNextSaves(_ count: Int) { failingSaves = count }
    func failNextLoads(_ count: Int) { failingLoads = count }
    func corrupt() { if record != .missing { record = .unreadable } }

    func load() async throws(DevPayLifecycleError) -> StoredSet {
        if failingLoads > 0 {
            failingLoads -= 1
            throw .credentialStorage(message: "Input/output error")
        }
        return record
    }

    func save(_ credentials: LifecycleCredentials) async throws(DevPayLifecycleError) {
        if failingSaves > 0 {
            failingSaves -= 1
            throw .credentialStorage(message: "disk full")
        }
        saves += 1
        record = .found(credentials)
    }

    func delete() async throws(DevPayLifecycleError) {
        deletes += 1
        record = .missing
    }
}
