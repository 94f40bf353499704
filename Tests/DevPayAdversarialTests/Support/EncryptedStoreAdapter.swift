import DevPayCredentialStore
import DevPayKit
import Foundation

/// The lifecycle's store seam over the real encrypted store, as an app wires it (the lifecycle branch's own
/// adapter has not landed yet).
struct EncryptedStoreAdapter: CredentialStoring {
    let store: CredentialStore

    func load() async throws(DevPayLifecycleError) -> DevPayKit.StoredCredentials {
        do {
            switch try await store.load() {
            case .found(let stored):
                let set = stored.credentials
                return .found(try LifecycleCredentials(
                    userToken: set.userToken.revealed(), accessKeyID: set.accessKeyID,
                    secretAccessKey: set.secretAccessKey.revealed(), tokenExpiresAt: set.tokenExpiresAt))
            case .missing(.notStored):
                return .missing
            case .missing(.unreadable):
                return .unreadable
            }
        } catch let error as DevPayLifecycleError {
            throw error
        } catch {
            throw .credentialStorage(message: "\(error)")
        }
    }

    func save(_ credentials: LifecycleCredentials) async throws(DevPayLifecycleError) {
        do {
            _ = try await store.save(try CredentialSet(
                userToken: credentials.userToken, accessKeyID: credentials.accessKeyID,
                secretAccessKey: credentials.secretAccessKey, activatedAt: Date(),
                tokenExpiresAt: credentials.tokenExpiresAt))
        } catch {
            throw .credentialStorage(message: "\(error)")
        }
    }

    func delete() async throws(DevPayLifecycleError) {
        do { try await store.delete() } catch { throw .credentialStorage(message: "\(error)") }
    }
}
