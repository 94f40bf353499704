/// How ``CredentialStoring/replace(failed:activation:)`` ended.
public enum CredentialReplacement: Sendable, Hashable {
    /// The activation ran and its set is now the stored one.
    case activated(LifecycleCredentials)
    /// The failed set had already been replaced (by another process or task); that set is adopted and the
    /// activation did not run, so its key was not used.
    case adopted(LifecycleCredentials)

    /// The set now stored, whichever way it got there.
    public var credentials: LifecycleCredentials {
        switch self {
        case .activated(let credentials), .adopted(let credentials): credentials
        }
    }
}

/// Why ``CredentialStoring/replace(failed:activation:)`` stored nothing; the previous set is untouched.
public enum CredentialReplacementFailure: Error, Sendable, Hashable {
    /// The License Service refused or could not be reached.
    case activationFailed(LicenseServiceFailure)
    /// The store could not be read or written.
    case storeFailed(DevPayLifecycleError)
}

extension CredentialStoring {
    /// Replaces `failed` with the set `activation` gets, unless the stored set is already another one.
    ///
    /// This default reads, activates and saves one after the other: enough for a store only one process uses.
    /// ``EncryptedCredentialStore`` replaces it with the on-disk store's lock, so that of several processes
    /// reactivating one product at once only one calls the License Service and the others adopt its set.
    public func replace(
        failed: LifecycleCredentials?,
        activation: () async throws(LicenseServiceFailure) -> LifecycleCredentials
    ) async throws(CredentialReplacementFailure) -> CredentialReplacement {
        let stored: StoredSet
        do { stored = try await load() } catch { throw .storeFailed(error) }
        if case .found(let held) = stored, !held.isSameSet(as: failed) { return .adopted(held) }
        let credentials: LifecycleCredentials
        do { credentials = try await activation() } catch { throw .activationFailed(error) }
        do { try await save(credentials) } catch { throw .storeFailed(error) }
        return .activated(credentials)
    }
}

extension LifecycleCredentials {
    /// Whether `other` is this set: the same token and keys (the expiry is derived from them).
    func isSameSet(as other: LifecycleCredentials?) -> Bool {
        guard let other else { return false }
        return userToken == other.userToken && accessKeyID == other.accessKeyID && secretAccessKey == other.secretAccessKey
    }
}
