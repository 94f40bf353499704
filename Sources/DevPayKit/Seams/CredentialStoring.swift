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

    /// Replaces the set found invalid (`failed`, or `nil` when none was usable) with the set `activation` gets,
    /// unless the stored set is already another one, which is then adopted without calling `activation`.
    /// On failure the stored set is unchanged. A default implementation is provided.
    func replace(
        failed: LifecycleCredentials?,
        activation: () async throws(LicenseServiceFailure) -> LifecycleCredentials
    ) async throws(CredentialReplacementFailure) -> CredentialReplacement
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
