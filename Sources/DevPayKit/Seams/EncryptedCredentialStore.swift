import DevPayCredentialStore
import Foundation

/// ``CredentialStoring`` over the encrypted on-disk store (`DevPayCredentialStore`): AES-256-GCM, one record
/// per product, atomic replacement, files 0600 in 0700 folders.
///
/// ```swift
/// let store = EncryptedCredentialStore(
///     store: CredentialStore(location: .standard(environment: ProcessInfo.processInfo.environment)!,
///                            product: .productToken(productToken)))
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
            let set = stored.credentials
            do {
                return .found(
                    try LifecycleCredentials(
                        userToken: set.userToken.revealed(), accessKeyID: set.accessKeyID,
                        secretAccessKey: set.secretAccessKey.revealed(), tokenExpiresAt: set.tokenExpiresAt))
            } catch {
                return .unreadable
            }
        case .missing(.notStored):
            return .missing
        case .missing(.unreadable):
            return .unreadable
        }
    }

    /// Encrypts and stores the set, replacing the previous one only once the new one is written and synced.
    public func save(_ credentials: LifecycleCredentials) async throws(DevPayLifecycleError) {
        do {
            let set = try CredentialSet(
                userToken: credentials.userToken, accessKeyID: credentials.accessKeyID,
                secretAccessKey: credentials.secretAccessKey, activatedAt: wallClock(),
                tokenExpiresAt: credentials.tokenExpiresAt)
            try await store.save(set, profile: profile)
        } catch let error as CredentialStoreError {
            throw .credentialStorage(message: error.description)
        } catch {
            throw .credentialStorage(message: "\(error)")
        }
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
