/// A successful License Service answer, decoded.
public struct LicenseServiceAnswer: Sendable, Hashable {
    /// What a successful call returns, per action.
    public enum Result: Sendable, Hashable {
        /// ActivateDesktopProduct: the customer's new credential set.
        case activated(CustomerCredentials)
        /// VerifyProductSubscriptionByTokens: whether the customer is subscribed.
        case subscription(isSubscribed: Bool)
        /// RefreshUserToken: the new user token.
        case refreshedUserToken(UserToken)
    }

    /// The decoded result.
    public var result: Result
    /// The request id from `ResponseMetadata`, for support requests.
    public var requestID: String?

    /// Creates an answer from its parts.
    public init(result: Result, requestID: String?) {
        self.result = result
        self.requestID = requestID
    }
}
