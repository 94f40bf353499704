import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import HTTPTypes
import Synchronization

/// The lifecycle's License Service seam over the real client, as an app wires it. The lifecycle branch's
/// own adapter has not landed yet; this one maps each `LicenseServiceError` by its required action.
struct WireLicenseService: DevPayKit.LicenseServiceClient {
    let client: DevPayLicenseService.LicenseServiceClient

    func activate(key: ActivationKeyText, productToken: String, tokenExpiration: Duration?)
        async throws(LicenseServiceFailure) -> LifecycleCredentials {
        do {
            let credentials = try await client.activateDesktopProduct(
                activationKey: key.value, productToken: productToken, tokenExpiration: tokenExpiration)
            return try Self.lifecycleCredentials(credentials)
        } catch let error as LicenseServiceError {
            throw Self.failure(error)
        } catch {
            throw LicenseServiceFailure(action: .reportBug, message: "incomplete credentials")
        }
    }

    func verifySubscription(credentials: LifecycleCredentials, productToken: String)
        async throws(LicenseServiceFailure) -> Bool {
        do {
            return try await client.verifyProductSubscription(
                credentials: try Self.customerCredentials(credentials), productToken: try ProductToken(productToken))
        } catch let error as LicenseServiceError {
            throw Self.failure(error)
        } catch {
            throw LicenseServiceFailure(action: .reportBug, message: "malformed input")
        }
    }

    func refreshUserToken(credentials: LifecycleCredentials, productToken: String)
        async throws(LicenseServiceFailure) -> String {
        do {
            return try await client.refreshUserToken(
                credentials: try Self.customerCredentials(credentials), productToken: try ProductToken(productToken)
            ).userToken.value
        } catch let error as LicenseServiceError {
            throw Self.failure(error)
        } catch {
            throw LicenseServiceFailure(action: .reportBug, message: "malformed input")
        }
    }

    static func lifecycleCredentials(_ credentials: CustomerCredentials) throws -> LifecycleCredentials {
        try LifecycleCredentials(userToken: credentials.userToken.value, accessKeyID: credentials.accessKeyID,
                                 secretAccessKey: credentials.secretAccessKey)
    }

    static func customerCredentials(_ credentials: LifecycleCredentials) throws -> CustomerCredentials {
        try CustomerCredentials(userToken: try UserToken(credentials.userToken), accessKeyID: credentials.accessKeyID,
                                secretAccessKey: credentials.secretAccessKey)
    }

    static func failure(_ error: LicenseServiceError) -> LicenseServiceFailure {
        let action: LicenseServiceFailure.Action = switch error.requiredAction {
        case .getNewActivationKey: .getNewActivationKey
        case .fixProductToken: .fixProductToken
        case .reactivate: .reactivate
        case .fixPayment, .undetermined: .undetermined
        case .retryLater(let after): .retryLater(after: after)
        case .correctClockAndRetry: .correctClockAndRetry
        case .reportBug: .reportBug
        }
        return LicenseServiceFailure(action: action, code: error.codes.first?.rawValue, message: "\(error)")
    }
}

/// The lifecycle's store seam in memory: the storm is about the wire, not the disk.
actor MemoryCredentialStore: CredentialStoring {
    private var stored: LifecycleCredentials?

    func load() async throws(DevPayLifecycleError) -> StoredCredentials {
        stored.map(StoredCredentials.found) ?? .missing
    }

    func save(_ credentials: LifecycleCredentials) async throws(DevPayLifecycleError) { stored = credentials }

    func delete() async throws(DevPayLifecycleError) { stored = nil }

    var current: LifecycleCredentials? { stored }
}

/// Counts the requests a client sends through a shared transport, so a test can check its retries.
final class CountingTransport: HTTPTransport {
    let base: any HTTPTransport
    private let counter = Mutex((all: 0, activations: 0))

    init(_ base: any HTTPTransport) { self.base = base }

    /// Every request sent.
    var requests: Int { counter.withLock { $0.all } }
    /// `ActivateDesktopProduct` requests sent.
    var activationRequests: Int { counter.withLock { $0.activations } }

    func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse {
        let activation = request.path?.contains("Action=ActivateDesktopProduct") ?? false
        counter.withLock {
            $0.all += 1
            if activation { $0.activations += 1 }
        }
        return try await base.send(request, body: body, options: options)
    }
}

/// Waits until `lifecycle` has read its store: right after `init` it is still `restoring`, and `activate` is
/// refused (`notAllowed`) until then.
func waitUntilRestored<C: Clock>(_ lifecycle: DevPayLifecycle<C>) async {
    for await state in await lifecycle.states where state.name != .restoring { return }
}
