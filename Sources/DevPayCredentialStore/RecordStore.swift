import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The blocking half of ``CredentialStore``: reads, seals, writes and quarantines one profile's record.
/// Every method blocks (file I/O, `fsync`, `flock`) and runs on an ``Offload`` thread.
struct RecordStore: Sendable {
    let files: RecordFiles
    let productKeyInfo: [UInt8]
    let logger: Logger

    init(root: String, product: ProductKey, profile: ProfileName, logger: Logger) {
        files = RecordFiles(root: root, product: product, profile: profile)
        productKeyInfo = Array("record key\u{0}".utf8) + Array(product.storageName.utf8)
        self.logger = logger
    }

    private enum Current {
        case absent
        case found(StoredCredentials)
        case unreadable(UnreadableRecordReason)
    }

    /// Reads the record without a lock: `rename` replaces it atomically, so a reader sees a whole old or a
    /// whole new file. Only an unreadable record needs the lock (to quarantine it without racing a writer).
    func load() throws(CredentialStoreError) -> CredentialLookup {
        switch try readCurrent() {
        case .absent: return .missing(.notStored)
        case .found(let stored): return .found(stored)
        case .unreadable: break
        }
        let lock = try FileLock.acquireExclusive(path: files.lock)
        defer { lock.release() }
        return try loadHoldingLock()
    }

    /// Like ``load()``; the caller holds the profile's lock.
    func loadHoldingLock() throws(CredentialStoreError) -> CredentialLookup {
        switch try readCurrent() {
        case .absent: return .missing(.notStored)
        case .found(let stored): return .found(stored)
        case .unreadable(let reason):
            let destination = try quarantineRecord(reason)
            return .missing(.unreadable(reason, quarantinedTo: destination))
        }
    }

    /// Takes the profile's lock (blocking) after making sure the folders exist.
    func lock() throws(CredentialStoreError) -> FileLock {
        try prepareFolders()
        return try FileLock.acquireExclusive(path: files.lock)
    }

    /// Replaces the record with `credentials`; the caller holds the profile's lock.
    ///
    /// The new record is written to a temporary file, synced, read back and checked, and only then renamed
    /// over the old one; the folder is synced last. Until the rename the old record stays the current one, and
    /// a crash at any point leaves either the old or the new record (plus, at worst, a stale temporary file
    /// that the next write removes).
    func saveHoldingLock(_ credentials: CredentialSet) throws(CredentialStoreError) -> StoredCredentials {
        let key = try productKey()
        try removeStaleTemporaryFiles()
        let generation: UInt64
        switch try readCurrent(key: key) {
        case .found(let current): generation = current.revision.generation &+ 1
        case .absent: generation = 1
        case .unreadable(let reason):
            _ = try quarantineRecord(reason)
            generation = 1
        }
        let revision = CredentialRevision(generation: generation, recordID: try SecureRandom.bytes(16))
        let expected = StoredCredentials(credentials: credentials, revision: revision)
        let sealed = try RecordFormat.seal(credentials, revision: revision, key: key, binding: files.binding)

        let temporary = files.productFolder + "/"
            + files.temporaryName(random: try SecureRandom.bytes(RecordFiles.temporaryRandomCount))
        do {
            let descriptor = try POSIX.createExclusive(temporary)
            defer { close(descriptor) }
            try POSIX.writeAll(descriptor, sealed, path: temporary)
            try POSIX.sync(descriptor, path: temporary)
        } catch {
            try? POSIX.remove(temporary)
            throw error
        }
        guard
            let written = try POSIX.readFile(temporary, limit: RecordFormat.maximumCount),
            case .success(let reread) = try RecordFormat.open(written, key: key, binding: files.binding),
            reread == expected
        else {
            try? POSIX.remove(temporary)
            throw .verificationFailed(path: temporary)
        }
        try POSIX.move(temporary, to: files.record)
        try POSIX.syncFolder(files.productFolder)
        return expected
    }

    /// Removes the record; the caller holds the profile's lock.
    func deleteHoldingLock() throws(CredentialStoreError) {
        try POSIX.remove(files.record)
        try POSIX.syncFolder(files.productFolder)
    }

    private func prepareFolders() throws(CredentialStoreError) {
        try POSIX.ensurePrivateFolder(files.root)
        try POSIX.ensurePrivateFolder(files.root + "/products")
        try POSIX.ensurePrivateFolder(files.productFolder)
    }

    private func productKey() throws(CredentialStoreError) -> SecretBytes {
        try POSIX.ensurePrivateFolder(files.root)
        let master = try MasterKey.loadOrCreate(root: files.root, logger: logger)
        return try HKDF.deriveKey(
            from: master, salt: Array("DevPayKit credential store v1".utf8), info: productKeyInfo,
            count: AESGCM.keyCount)
    }

    private func readCurrent(key: SecretBytes? = nil) throws(CredentialStoreError) -> Current {
        guard let bytes = try POSIX.readFile(files.record, limit: RecordFormat.maximumCount) else { return .absent }
        let key = if let key { key } else { try productKey() }
        switch try RecordFormat.open(bytes, key: key, binding: files.binding) {
        case .success(let stored): return .found(stored)
        case .failure(let reason): return .unreadable(reason)
        }
    }

    private func quarantineRecord(_ reason: UnreadableRecordReason) throws(CredentialStoreError) -> String {
        let destination = try Quarantine.move(
            files.record, into: files.quarantineFolder, stem: files.profileName, reason: reason)
        logger.warning(
            "stored credentials were unreadable; moved aside, the product must reactivate",
            metadata: ["reason": "\(reason)", "quarantine": "\(destination)"])
        return destination
    }

    /// A temporary file seen while holding the lock belongs to a writer that died mid-write.
    private func removeStaleTemporaryFiles() throws(CredentialStoreError) {
        for name in try POSIX.entries(of: files.productFolder) where files.isTemporaryName(name) {
            try POSIX.remove(files.productFolder + "/" + name)
        }
    }
}
