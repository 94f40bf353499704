import DevPayLicenseService
import Foundation

/// Performs the machine's effects: calls the License Service and the store, and turns each result into the
/// event the machine reacts to. It never decides anything itself.
struct LifecycleEffectPerformer: Sendable {
    let productToken: ProductToken
    let licenseService: any LicenseServicing
    let store: any CredentialStoring
    let wallClock: @Sendable () -> Date
    let tokenExpiration: Duration?
    let current: CurrentCredentials

    func perform(_ effect: ActivationEffect) async -> ActivationEvent? {
        switch effect {
        case .loadStoredSet:
            return await loadStoredSet()
        case .callActivate(let key):
            do {
                return .activationSucceeded(try await activate(key: key))
            } catch {
                return .activationFailed(error)
            }
        case .replaceSet(let key):
            return await replaceSet(key: key)
        case .storeSet(let credentials):
            do {
                try await store.save(credentials)
            } catch {
                return .storeFailed(message: error.storageMessage)
            }
            return holding(credentials)
        case .verifySubscription:
            guard let credentials = current.credentials else { return .verificationFailed(Self.noCredentials) }
            do {
                return .subscriptionChecked(
                    subscribed: try await licenseService.verifySubscription(
                        credentials: credentials, productToken: productToken))
            } catch {
                return .verificationFailed(error)
            }
        case .refreshUserToken:
            guard let credentials = current.credentials else { return .refreshFailed(Self.noCredentials) }
            do {
                let token = try await licenseService.refreshUserToken(credentials: credentials, productToken: productToken)
                return .tokenRefreshed(try credentials.replacingUserToken(token))
            } catch let failure as LicenseServiceFailure {
                return .refreshFailed(failure)
            } catch {
                return .refreshFailed(LicenseServiceFailure(action: .reactivate, message: "\(error)"))
            }
        case .deleteStoredSet:
            current.replace(with: nil)
            do {
                try await store.delete()
                return .storedSetDeleted
            } catch {
                return .deleteFailed(message: error.storageMessage)
            }
        }
    }

    private func loadStoredSet() async -> ActivationEvent {
        let stored: StoredSet
        do {
            stored = try await store.load()
        } catch {
            return .storedSetUnreadable
        }
        switch stored {
        case .found(let credentials):
            current.replace(with: credentials)
            return .storedSetFound(expiresIn: timeLeft(on: credentials))
        case .missing:
            return .storedSetMissing
        case .unreadable:
            return .storedSetUnreadable
        }
    }

    private func activate(key: ActivationKey) async throws(LicenseServiceFailure) -> LifecycleCredentials {
        // Read before the call: the deadline is never later than the service's.
        let askedAt = wallClock()
        let credentials = try await licenseService.activate(
            key: key, productToken: productToken, tokenExpiration: tokenExpiration)
        guard credentials.tokenExpiresAt == nil, let tokenExpiration else { return credentials }
        do {
            return try LifecycleCredentials(
                userToken: credentials.userToken, accessKeyID: credentials.accessKeyID,
                secretAccessKey: credentials.secretAccessKey,
                tokenExpiresAt: askedAt.addingTimeInterval(tokenExpiration.timeInterval))
        } catch {
            throw LicenseServiceFailure(action: .undetermined, message: "\(error)")
        }
    }

    /// Activation and store as one step under the store's lock; another process's newer set is adopted.
    private func replaceSet(key: ActivationKey) async -> ActivationEvent {
        let replacement: CredentialReplacement
        do {
            replacement = try await store.replace(failed: current.credentials) { () async throws(LicenseServiceFailure) in
                try await activate(key: key)
            }
        } catch {
            switch error {
            case .activationFailed(let failure): return .activationFailed(failure)
            case .storeFailed(let storeError): return .storeFailed(message: storeError.storageMessage)
            }
        }
        return holding(replacement.credentials)
    }

    /// A set is now stored: it becomes the one held, with its token deadline.
    private func holding(_ credentials: LifecycleCredentials) -> ActivationEvent {
        current.replace(with: credentials)
        return .setStored(expiresIn: timeLeft(on: credentials))
    }

    private func timeLeft(on credentials: LifecycleCredentials) -> Duration? {
        credentials.tokenExpiresAt.map { Duration.seconds($0.timeIntervalSince(wallClock())) }
    }

    static let noCredentials = LicenseServiceFailure(
        action: .reactivate, code: "MissingCredentials", message: "no complete credential set is held")
}

extension DevPayLifecycleError {
    /// The store's own message, not wrapped twice when the event turns it back into an error.
    var storageMessage: String {
        if case .credentialStorage(let message) = self { message } else { description }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
