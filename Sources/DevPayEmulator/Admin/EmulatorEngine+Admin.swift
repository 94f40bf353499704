import Foundation

extension EmulatorEngine {
    func registerProduct(code: String?, token: String?) throws(EmulatorError) -> EmulatorProduct {
        try typed { state, factory, _ in try state.registerProduct(code: code, token: token, factory: &factory) }
    }

    func purchase(productCode: String, customerID: String?, scenario: SubscriptionScenario)
        throws(EmulatorError) -> IssuedActivationKey
    {
        try typed { state, factory, now in
            try state.purchase(productCode: productCode, customerID: customerID, scenario: scenario, now: now,
                               factory: &factory)
        }
    }

    func issueActivationKey(customerID: String, productCode: String) throws(EmulatorError) -> IssuedActivationKey {
        try typed { state, factory, now in
            try state.issueActivationKey(customerID: customerID, productCode: productCode, now: now, factory: &factory)
        }
    }

    func setScenario(_ scenario: SubscriptionScenario, customerID: String, productCode: String?)
        throws(EmulatorError)
    {
        try typed { state, _, _ in try state.setScenario(scenario, customerID: customerID, productCode: productCode) }
    }

    func requireTokenRefresh(customerID: String, productCode: String?) throws(EmulatorError) -> Int {
        try typed { state, _, _ in try state.requireTokenRefresh(customerID: customerID, productCode: productCode) }
    }

    func subscriptionStatus(customerID: String, productCode: String) -> SubscriptionStatus? {
        state.subscriptionStatus(customerID: customerID, productCode: productCode, at: now)
    }

    func clockReading() -> AdminMessages.Clock {
        AdminMessages.Clock(now: now, frozen: state.clock.frozenAt != nil)
    }

    /// `update` for admin changes, whose only failures are `EmulatorError`s.
    private func typed<T>(
        _ change: (inout EmulatorState, inout CredentialFactory<AnyRandomNumberGenerator>, Date) throws -> T
    ) throws(EmulatorError) -> T {
        do {
            return try update(change)
        } catch let error as EmulatorError {
            throw error
        } catch {
            throw .invalidArgument("\(error)")
        }
    }
}
