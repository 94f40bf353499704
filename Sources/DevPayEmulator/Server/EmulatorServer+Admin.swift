import Foundation

/// The admin operations, in-process: the same as the `/admin/…` endpoints, for tests and the CLI.
extension EmulatorServer {
    /// Registers a product; generates the code (8 hex characters) and the token when not given.
    public func registerProduct(productCode: String? = nil, productToken: String? = nil)
        async throws(EmulatorError) -> EmulatorProduct
    {
        try await engine.registerProduct(code: productCode, token: productToken)
    }

    /// A customer buys a product: a new customer unless `customerID` names one. Returns the activation key
    /// the purchase page would show (valid one hour on the emulator clock).
    public func purchase(productCode: String, customerID: String? = nil, scenario: SubscriptionScenario = .subscribed)
        async throws(EmulatorError) -> IssuedActivationKey
    {
        try await engine.purchase(productCode: productCode, customerID: customerID, scenario: scenario)
    }

    /// A fresh activation key for a customer who already bought the product (the activate URL).
    public func issueActivationKey(customerID: String, productCode: String) async throws(EmulatorError)
        -> IssuedActivationKey
    {
        try await engine.issueActivationKey(customerID: customerID, productCode: productCode)
    }

    /// Changes what the customer's subscription does from now on; all their products when `productCode` is nil.
    public func setSubscriptionScenario(_ scenario: SubscriptionScenario, customerID: String,
                                        productCode: String? = nil) async throws(EmulatorError)
    {
        try await engine.setScenario(scenario, customerID: customerID, productCode: productCode)
    }

    /// Makes S3 answer `TokenRefreshRequired` to the customer's current credential sets (of one product, or
    /// all) until the app calls `RefreshUserToken`; returns how many sets were marked.
    @discardableResult
    public func requireTokenRefresh(customerID: String, productCode: String? = nil) async throws(EmulatorError) -> Int {
        try await engine.requireTokenRefresh(customerID: customerID, productCode: productCode)
    }

    /// Where the customer's subscription stands now, or `nil` when they never bought the product.
    public func subscriptionStatus(customerID: String, productCode: String) async -> SubscriptionStatus? {
        await engine.subscriptionStatus(customerID: customerID, productCode: productCode)
    }

    /// Now, on the emulator's clock.
    public func now() async -> Date { await engine.now }

    /// Moves the emulator's clock forward by `seconds` (tokens and keys expire, card vetting completes).
    public func advanceClock(by seconds: TimeInterval) async throws(EmulatorError) {
        try await engine.advanceClock(by: seconds)
    }

    /// Sets the emulator's clock to `instant`.
    public func setClock(to instant: Date) async throws(EmulatorError) { try await engine.setClock(to: instant) }

    /// Replaces the fault plan (503s, dropped connections, latency) for License Service and S3 requests.
    public func setFaults(_ plan: FaultPlan) async { await engine.setFaults(plan) }

    /// The fault plan in force, with what remains of its script.
    public func faults() async -> FaultPlan { await engine.faults }
}
