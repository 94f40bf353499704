import DevPayCredentialStore
import Foundation

/// ``CredentialStoring`` over the encrypted on-disk store (`DevPayCredentialStore`): AES-256-GCM, one record
/// per product, atomic replacement, files 0600 in 0700 folders.
///
/// ```swift
/// let store = EncryptedCredentialStore(
///     store: CredentialStore(location: .standard(environment: ProcessInfo.processInfo.environment)!,
///                            product: .product(productToken)))
/// ```
public struct EncryptedCredentialStore: CredentialStoring {
    /// The product's store.
    public let store: CredentialStore
    /// The profile within the product (one set per profile).
    public let profile: ProfileName
    private let wallClock: @Sendable () -> Date

    /// Wraps `store`; `wallClock` stamps each saved set's activation time.
    public init(
        store: CredentialStore, profile: ProfileName = .standard, wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.profile = profile
        self.wallClock = wallClock
    }

    /// Reads and decrypts the set; a damaged or incomplete record (quarantined by the store) is `.unreadable`.
    public func load() async throws(DevPayLifecycleError) -> StoredSet {
        let lookup: CredentialLookup
        do {
            lookup = try await store.load(profile: profile)
        } catch {
            throw .credentialStorage(message: error.description)
        }
        switch lookup {
        case .found(let stored):
            guard let credentials = Self.lifecycleCredentials(stored.credentials) else { return .unreadable }
            return .found(credentials)
        case .missing(.notStored):
            return .missing
        case .missing(.unreadable):
            return .unreadable
        }
    }

    /// Encrypts and stores the set, replacing the previous one only once the new one is written and synced.
    public func save(_ credentials: LifecycleCredentials) async throws(DevPayLifecycleError) {
        do {
            try await store.save(try credentialSet(credentials), profile: profile)
        } catch let error as CredentialStoreError {
            throw .credentialStorage(message: error.description)
        } catch {
            throw .credentialStorage(message: "\(error)")
        }
    }

    /// Replaces the failed set under the store's per-profile lock, which other processes take too: of several
    /// processes reactivating this product at once, one calls the License Service and the others adopt its set.
    public func replace(
        failed: LifecycleCredentials?,
        activation: () async throws(LicenseServiceFailure) -> LifecycleCredentials
    ) async throws(CredentialReplacementFailure) -> CredentialReplacement {
        // The revision that holds the failed set: the store replaces only that one, under its lock.
        let failedRevision: CredentialRevision?
        do {
            switch try await store.load(profile: profile) {
            case .found(let stored):
                if let held = Self.lifecycleCredentials(stored.credentials), !held.isSameSet(as: failed) {
                    return .adopted(held)
                }
                failedRevision = stored.revision
            case .missing:
                failedRevision = nil
            }
        } catch {
            throw .storeFailed(.credentialStorage(message: error.description))
        }
        let outcome: ReactivationOutcome
        do {
            outcome = try await store.reactivate(profile: profile, replacing: failedRevision) {
                try credentialSet(try await activation())
            }
        } catch let failure as LicenseServiceFailure {
            throw .activationFailed(failure)
        } catch let error as CredentialStoreError {
            throw .storeFailed(.credentialStorage(message: error.description))
        } catch {
            throw .storeFailed(.credentialStorage(message: "\(error)"))
        }
        guard let credentials = Self.lifecycleCredentials(outcome.stored.credentials) else {
            throw .storeFailed(.credentialStorage(message: "the stored set is incomplete"))
        }
        switch outcome {
        case .activated: return .activated(credentials)
        case .adopted: return .adopted(credentials)
        }
    }

    /// The set as the store keeps it, stamped with this moment as its activation time.
    private func credentialSet(_ credentials: LifecycleCredentials) throws -> CredentialSet {
        try CredentialSet(
            userToken: credentials.userToken, accessKeyID: credentials.accessKeyID,
            secretAccessKey: credentials.secretAccessKey, activatedAt: wallClock(),
            tokenExpiresAt: credentials.tokenExpiresAt)
    }

    /// The stored set as the lifecycle holds it, or `nil` when a part is empty.
    private static func lifecycleCredentials(_ set: CredentialSet) -> LifecycleCredentials? {
        try? LifecycleCredentials(
            userToken: set.userToken.revealed(), accessKeyID: set.accessKeyID,
            secretAccessKey: set.secretAccessKey.revealed(), tokenExpiresAt: set.tokenExpiresAt)
    }

    /// Deletes the set (sign-out).
    public func delete() async throws(DevPayLifecycleError) {
        do {
            try await store.delete(profile: profile)
        } catch {
            throw .credentialStorage(message: error.description)
        }
    }
}
