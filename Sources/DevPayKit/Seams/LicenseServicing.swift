import DevPayLicenseService
/// The License Service calls the lifecycle makes: the seam between the lifecycle and the wire.
///
/// The real implementation wraps `DevPayLicenseService`; tests use an in-memory fake. Every failure is a
/// ``LicenseServiceFailure`` whose ``LicenseServiceFailure/action`` the lifecycle acts on; retrying 503s
/// within one call is the implementation's business. The product token arrives parsed (`ProductToken`), the
/// one spelling every DevPay request and the credential store's folder use.
public protocol LicenseServicing: Sendable {
    /// `ActivateDesktopProduct`: exchanges the customer's key for a new credential set.
    ///
    /// - Parameter tokenExpiration: asked of the service as `TokenExpiration`, or `nil` for a token that
    ///   does not expire.
    func activate(
        key: ActivationKey, productToken: ProductToken, tokenExpiration: Duration?
    ) async throws(LicenseServiceFailure) -> LifecycleCredentials

    /// `VerifyProductSubscriptionByTokens`: whether the customer is subscribed to the product.
    /// `UserNotSubscribed` is an answer (`false`), not a failure.
    func verifySubscription(
        credentials: LifecycleCredentials, productToken: ProductToken
    ) async throws(LicenseServiceFailure) -> Bool

    /// `RefreshUserToken`: a new user token for the same customer and product.
    func refreshUserToken(
        credentials: LifecycleCredentials, productToken: ProductToken
    ) async throws(LicenseServiceFailure) -> String
}
