/// Single-flight reactivation across processes and tasks.
extension CredentialStore {
    /// Replaces credentials found invalid, running `activation` in at most one process at a time.
    ///
    /// Call it with the revision of the set that failed (from ``load(profile:)``), or `nil` if there was no
    /// usable set. The profile's lock is taken (waiting, off the cooperative pool, while another process holds
    /// it); then, if the stored set is no longer the one that failed, someone else has already reactivated and
    /// that set is returned as ``ReactivationOutcome/adopted(_:)`` without calling `activation`. Otherwise
    /// `activation` runs while the lock is held, and its set is stored before the lock is released.
    ///
    /// If `activation` throws, nothing changes on disk and the error is rethrown. The activation key the
    /// closure uses is never seen or stored by the store.
    ///
    /// The method runs on the caller's executor (`nonisolated(nonsending)`), so an actor can pass a closure
    /// that uses its own state; only the blocking file work hops to a dedicated thread.
    ///
    /// - Parameters:
    ///   - profile: the profile to reactivate.
    ///   - failed: the revision found invalid, or `nil` when no set could be read.
    ///   - activation: asks the License Service for a new set (`ActivateDesktopProduct`).
    nonisolated(nonsending) public func reactivate(
        profile: ProfileName = .standard,
        replacing failed: CredentialRevision?,
        activation: () async throws -> CredentialSet
    ) async throws -> ReactivationOutcome {
        let records = records(for: profile)
        let lock = try await Offload.run { () throws(CredentialStoreError) in try records.lock() }
        defer { lock.release() }
        try Task.checkCancellation()

        let current = try await Offload.run { () throws(CredentialStoreError) in try records.loadHoldingLock() }
        if let stored = current.stored, stored.revision != failed {
            return .adopted(stored)
        }
        let credentials = try await activation()
        let stored = try await Offload.run { () throws(CredentialStoreError) in
            try records.saveHoldingLock(credentials)
        }
        return .activated(stored)
    }
}
