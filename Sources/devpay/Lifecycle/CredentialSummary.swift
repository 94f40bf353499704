import DevPayCredentialStore
import DevPayKit
import Foundation

/// What `status` and `activate` may show of a stored set: never the secret key or the user token.
struct CredentialSummary: Encodable {
    var accessKeyID: String
    var activatedAt: Date
    var tokenExpiresAt: Date?

    /// Reads the stored set's public parts, or `nil` when nothing readable is stored.
    static func load(from store: CredentialStore) async throws -> CredentialSummary? {
        guard case .found(let stored) = try await store.load() else { return nil }
        let set = stored.credentials
        return CredentialSummary(accessKeyID: set.accessKeyID, activatedAt: set.activatedAt, tokenExpiresAt: set.tokenExpiresAt)
    }
}

/// The JSON shape of a state report (`status`, `activate`, `verify`).
struct StateReport: Encodable {
    var state: String
    var description: String
    /// `nil` (left out of the JSON) while the subscription is unknown: unknown is not "not subscribed".
    var subscribed: Bool?
    var credentials: CredentialSummary?

    init(state: ActivationState, credentials: CredentialSummary?) {
        self.state = state.name.rawValue
        description = state.phrase
        subscribed = state.name == .subscriptionUnknown ? nil : state == .subscribed
        self.credentials = credentials
    }

    func printText() {
        print("state: \(state) (\(description))")
        guard let credentials else { return }
        print("access key ID: \(TerminalText.escaped(credentials.accessKeyID))")
        print("activated: \(credentials.activatedAt.formatted(.iso8601))")
        print("token expires: \(credentials.tokenExpiresAt.map { $0.formatted(.iso8601) } ?? "never")")
    }
}
