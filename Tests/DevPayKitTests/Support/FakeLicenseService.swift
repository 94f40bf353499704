import DevPayLicenseService
import DevPayKit
import Foundation

/// An in-memory License Service: issues numbered sets, knows which user tokens are valid and whether the
/// customer is subscribed, and can be told to fail the next calls.
actor FakeLicenseService: LicenseServicing {
    /// Whether the customer is subscribed (the service's truth).
    var subscribed = false
    /// Failures returned by the next calls of each kind, in order, before normal answers.
    var activationFailures: [LicenseServiceFailure] = []
    var verificationFailures: [LicenseServiceFailure] = []
    var refreshFailures: [LicenseServiceFailure] = []
    /// User tokens the service accepts; a set whose token is not here is rejected (`InvalidUserToken`).
    private(set) var validUserTokens: Set<String> = []
    private(set) var issued = 0
    private(set) var calls: [String] = []
    private let productToken: ProductToken

    init(productToken: ProductToken = Fixtures.productToken) {
        self.productToken = productToken
    }

    func setSubscribed(_ value: Bool) { subscribed = value }
    func failActivations(_ failures: [LicenseServiceFailure]) { activationFailures = failures }
    func failVerifications(_ failures: [LicenseServiceFailure]) { verificationFailures = failures }
    func failRefreshes(_ failures: [LicenseServiceFailure]) { refreshFailures = failures }
    func invalidateAllTokens() { validUserTokens.removeAll() }
    func count(_ call: String) -> Int { calls.filter { $0 == call }.count }

    func activate(
        key: ActivationKey, productToken: ProductToken, tokenExpiration: Duration?
    ) async throws(LicenseServiceFailure) -> LifecycleCredentials {
        calls.append("activate")
        if !activationFailures.isEmpty { throw activationFailures.removeFirst() }
        guard productToken == self.productToken else { throw Fixtures.badProductToken }
        issued += 1
        let credentials = Fixtures.credentials(issued)
        validUserTokens.insert(credentials.userToken)
        return credentials
    }

    func verifySubscription(
        credentials: LifecycleCredentials, productToken: ProductToken
    ) async throws(LicenseServiceFailure) -> Bool {
        calls.append("verify")
        if !verificationFailures.isEmpty { throw verificationFailures.removeFirst() }
        guard validUserTokens.contains(credentials.userToken) else { throw Fixtures.badUserToken }
        return subscribed
    }

    func refreshUserToken(
        credentials: LifecycleCredentials, productToken: ProductToken
    ) async throws(LicenseServiceFailure) -> String {
        calls.append("refresh")
        if !refreshFailures.isEmpty { throw refreshFailures.removeFirst() }
        guard validUserTokens.contains(credentials.userToken) else { throw Fixtures.badUserToken }
        let token = credentials.userToken + "-refreshed"
        validUserTokens.insert(token)
        return token
    }
}
