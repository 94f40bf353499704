import DevPayLicenseService

/// ``LicenseServicing`` over the real License Service client (`DevPayLicenseService.LicenseServiceClient`):
/// HTTPS only, SigV1 with the customer's keys, retries of throttling inside the client.
///
/// ```swift
/// let client = LicenseServiceClient(endpoint: .amazon, transport: CurlHTTPClient(), retryEngine: RetryEngine(policy: .standard))
/// let configuration = LifecycleConfiguration(productToken: token, licenseService: LicenseServiceAdapter(client: client),
///                                            store: store, clock: ContinuousClock())
/// ```
public struct LicenseServiceAdapter: LicenseServicing {
    /// The client calls go through.
    public let client: LicenseServiceClient

    /// Wraps `client`.
    public init(client: LicenseServiceClient) {
        self.client = client
    }

    /// `ActivateDesktopProduct` through the client, in the client's wire form and API version.
    public func activate(
        key: ActivationKey, productToken: ProductToken, tokenExpiration: Duration?
    ) async throws(LicenseServiceFailure) -> LifecycleCredentials {
        do {
            let issued = try await client.activateDesktopProduct(
                activationKey: key, productToken: productToken, tokenExpiration: tokenExpiration)
            return try Self.lifecycleCredentials(issued)
        } catch {
            throw Self.failure(from: error)
        }
    }

    /// `VerifyProductSubscriptionByTokens` through the client; `UserNotSubscribed` answers `false`.
    public func verifySubscription(
        credentials: LifecycleCredentials, productToken: ProductToken
    ) async throws(LicenseServiceFailure) -> Bool {
        do {
            return try await client.verifyProductSubscription(
                credentials: try Self.customerCredentials(credentials), productToken: productToken)
        } catch let error as LicenseServiceError {
            // UserNotSubscribed: the sign-up payment failed, the subscription is pending; an answer, not a fault.
            if case .fixPayment = error.requiredAction { return false }
            throw Self.failure(error)
        } catch {
            throw Self.failure(from: error)
        }
    }

    /// `RefreshUserToken` through the client; returns the new user token.
    public func refreshUserToken(
        credentials: LifecycleCredentials, productToken: ProductToken
    ) async throws(LicenseServiceFailure) -> String {
        do {
            let refreshed = try await client.refreshUserToken(
                credentials: try Self.customerCredentials(credentials), productToken: productToken)
            return refreshed.userToken.value
        } catch {
            throw Self.failure(from: error)
        }
    }

    static func customerCredentials(_ credentials: LifecycleCredentials) throws -> CustomerCredentials {
        try CustomerCredentials(
            userToken: try UserToken(credentials.userToken), accessKeyID: credentials.accessKeyID,
            secretAccessKey: credentials.secretAccessKey)
    }

    static func lifecycleCredentials(_ credentials: CustomerCredentials) throws -> LifecycleCredentials {
        try LifecycleCredentials(
            userToken: credentials.userToken.value, accessKeyID: credentials.accessKeyID,
            secretAccessKey: credentials.secretAccessKey)
    }

    /// What any error of a call becomes for the lifecycle: the client's own errors keep their action.
    ///
    /// The only other error a call can meet is an issued set the lifecycle cannot hold (an empty part). That is
    /// an answer nobody can use, so it is treated like the client's unexpected answers (try again later); it is
    /// deliberately not "reactivate", which would ask the customer for a new key when the key may be fine and
    /// could loop on a service that keeps answering the same way.
    static func failure(from error: any Error) -> LicenseServiceFailure {
        switch error {
        case let error as LicenseServiceError: failure(error)
        case let error as LicenseServiceInputError: failure(.invalidInput(error))
        default: LicenseServiceFailure(action: .retryLater(after: nil), code: nil, message: "unusable answer: \(error)")
        }
    }

    /// The client's required action, as the lifecycle's.
    static func failure(_ error: LicenseServiceError) -> LicenseServiceFailure {
        let action: LicenseServiceFailure.Action =
            switch error.requiredAction {
            case .getNewActivationKey: .getNewActivationKey
            case .fixProductToken: .fixProductToken
            case .reactivate: .reactivate
            case .retryLater(let after): .retryLater(after: after)
            case .correctClockAndRetry: .correctClockAndRetry
            case .reportBug: .reportBug
            case .fixPayment, .undetermined: .undetermined
            }
        return LicenseServiceFailure(action: action, code: error.codes.first?.rawValue, message: error.description)
    }
}
