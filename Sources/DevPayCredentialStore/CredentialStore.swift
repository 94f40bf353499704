import Logging

/// Encrypted, crash-safe storage of one product's credential sets, safe to share between processes.
///
/// Each product (``ProductKey``) has its own folder and its own key derived from the per-user master key;
/// each profile within it one record sealed with AES-256-GCM. Writes are atomic and durable; an exclusive
/// `flock` per profile serialises writers across processes; ``reactivate(profile:replacing:activation:)``
/// makes sure only one process activates when several find the credentials invalid at once.
///
/// Every method may block on the disk or on another process's lock, so each is `async` and does its blocking
/// work on a dedicated thread, never on the cooperative pool. An unreadable record is not an error: it reads
/// as ``CredentialLookup/missing(_:)`` with a ``MissingCredentialsReason``, and its bytes are quarantined.
/// Thrown ``CredentialStoreError``s are failures of the store itself (permissions, a full disk).
public struct CredentialStore: Sendable {
    /// The store's root folder.
    public let location: CredentialStoreLocation
    /// The product whose credentials this store reads and writes.
    public let product: ProductKey
    private let logger: Logger

    /// A store for `product` rooted at `location` (see ``CredentialStoreLocation/standard(environment:)``).
    /// Nothing is created on disk until the first write.
    public init(
        location: CredentialStoreLocation,
        product: ProductKey,
        logger: Logger = Logger(label: "devpay.credential-store")
    ) {
        self.location = location
        self.product = product
        self.logger = logger
    }

    /// Reads the profile's credentials.
    ///
    /// - Returns: ``CredentialLookup/found(_:)`` with the set and its revision (keep the revision: pass it to
    ///   ``reactivate(profile:replacing:activation:)`` if the set turns out to be invalid), or
    ///   ``CredentialLookup/missing(_:)``: nothing stored, or an unreadable record (quarantined).
    public func load(profile: ProfileName = .standard) async throws(CredentialStoreError) -> CredentialLookup {
        let records = records(for: profile)
        return try await Offload.run { () throws(CredentialStoreError) in try records.load() }
    }

    /// Stores `credentials` as the profile's set, replacing the previous one atomically.
    /// - Returns: the stored set with its new revision.
    @discardableResult
    public func save(
        _ credentials: CredentialSet, profile: ProfileName = .standard
    ) async throws(CredentialStoreError) -> StoredCredentials {
        let records = records(for: profile)
        return try await Offload.run { () throws(CredentialStoreError) in
            let lock = try records.lock()
            defer { lock.release() }
            return try records.saveHoldingLock(credentials)
        }
    }

    /// Removes the profile's set (for example when the customer signs out). Deleting nothing is not an error.
    ///
    /// Reactivation does not need this: ``save(_:profile:)`` and ``reactivate(profile:replacing:activation:)``
    /// replace the old set only once the new one is safely stored.
    public func delete(profile: ProfileName = .standard) async throws(CredentialStoreError) {
        let records = records(for: profile)
        try await Offload.run { () throws(CredentialStoreError) in
            let lock = try records.lock()
            defer { lock.release() }
            try records.deleteHoldingLock()
        }
    }

    func records(for profile: ProfileName) -> RecordStore {
        RecordStore(root: location.path, product: product, profile: profile, logger: logger)
    }
}
