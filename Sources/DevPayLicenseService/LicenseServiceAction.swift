/// The License Service actions a desktop product calls.
public enum LicenseServiceAction: String, Sendable, Hashable, CaseIterable {
    /// Exchanges an activation key for the customer's credentials (unsigned).
    case activateDesktopProduct = "ActivateDesktopProduct"
    /// Asks whether the customer is subscribed to the product (SigV1 with the customer's keys).
    case verifyProductSubscriptionByTokens = "VerifyProductSubscriptionByTokens"
    /// Exchanges a user token for a fresh one (SigV1 with the customer's keys).
    case refreshUserToken = "RefreshUserToken"

    /// The root element of the action's success answer, e.g. `ActivateDesktopProductResponse`.
    var responseElement: String { rawValue + "Response" }
    /// The element holding the action's result, e.g. `ActivateDesktopProductResult`.
    var resultElement: String { rawValue + "Result" }
}
