/// Where one product's credential set is kept: the seam between the lifecycle and the disk.
///
/// The real implementation wraps `DevPayCredentialStore` (AES-256-GCM, one record per product); tests use an
/// in-memory fake that can be corrupted. Each lifecycle gets a store of its own product.
public protocol CredentialStoring: Sendable {
    /// Reads the set. An unreadable or incomplete record is ``StoredSet/unreadable``, not an error.
    func load() async throws(DevPayLifecycleError) -> StoredSet

    /// Stores `credentials`, replacing the previous set atomically: until this returns, the previous set is
    /// still the one stored; if it throws, the previous set is untouched.
    func save(_ credentials: LifecycleCredentials) async throws(DevPayLifecycleError)

    /// Deletes the set; deleting nothing is not an error.
    func delete() async throws(DevPayLifecycleError)
}

/// What a store holds for a product.
public enum StoredSet: Sendable, Hashable {
    /// A complete set.
    case found(LifecycleCredentials)
    /// Nothing is stored.
    case missing
    /// A record exists but cannot be read or is incomplete.
    case unreadable
}
