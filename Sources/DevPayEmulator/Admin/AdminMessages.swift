/// JSON bodies of the admin endpoints (`/admin/…`). Dates are ISO 8601.
public enum AdminMessages {
    /// `POST /admin/products`: both fields optional; missing ones are generated.
    public struct RegisterProduct: Codable, Sendable {
        public var productCode: String?
        public var productToken: String?
        public init(productCode: String? = nil, productToken: String? = nil) {
            self.productCode = productCode
            self.productToken = productToken
        }
    }

    /// `POST /admin/purchases`: a new customer unless `customerID` names one; subscribed by default.
    public struct Purchase: Codable, Sendable {
        public var productCode: String
        public var customerID: String?
        public var scenario: SubscriptionScenario?
        public init(productCode: String, customerID: String? = nil, scenario: SubscriptionScenario? = nil) {
            self.productCode = productCode
            self.customerID = customerID
            self.scenario = scenario
        }
    }

    /// `POST /admin/activation-keys`: what the activate URL does for an existing customer.
    public struct IssueActivationKey: Codable, Sendable {
        public var customerID: String
        public var productCode: String
        public init(customerID: String, productCode: String) {
            self.customerID = customerID
            self.productCode = productCode
        }
    }

    /// `PUT /admin/subscriptions`: the scenario for one product of a customer, or all when `productCode` is nil.
    public struct SetSubscription: Codable, Sendable {
        public var customerID: String
        public var productCode: String?
        public var scenario: SubscriptionScenario
        public init(customerID: String, productCode: String? = nil, scenario: SubscriptionScenario) {
            self.customerID = customerID
            self.productCode = productCode
            self.scenario = scenario
        }
    }

    /// `POST /admin/token-refresh`: S3 answers `TokenRefreshRequired` to the customer's current sets (of one
    /// product, or all) until the app calls `RefreshUserToken`.
    public struct RequireTokenRefresh: Codable, Sendable {
        public var customerID: String
        public var productCode: String?
        public init(customerID: String, productCode: String? = nil) {
            self.customerID = customerID
            self.productCode = productCode
        }
    }

    /// Answer of `POST /admin/token-refresh`.
    public struct TokenRefreshMarked: Codable, Sendable {
        /// How many credential sets now need a refresh.
        public var credentialSets: Int
    }

    /// Answer of `GET /admin/subscriptions?customerID=…&productCode=…`.
    public struct Subscription: Codable, Sendable {
        /// The customer asked about.
        public var customerID: String
        /// The product asked about.
        public var productCode: String
        /// Where the subscription stands now, on the emulator clock.
        public var status: SubscriptionStatus
    }

    /// `POST /admin/clock`: either advance by seconds, or set to an instant.
    public struct ClockChange: Codable, Sendable {
        public var advanceSeconds: Double?
        public var setTo: Date?
        public init(advanceSeconds: Double? = nil, setTo: Date? = nil) {
            self.advanceSeconds = advanceSeconds
            self.setTo = setTo
        }
    }

    /// Answer of the clock endpoints.
    public struct Clock: Codable, Sendable {
        /// Now, on the emulator clock.
        public var now: Date
        /// Whether the clock stands still between admin changes.
        public var frozen: Bool
    }

    /// Answer of `GET /admin/health`.
    public struct Health: Codable, Sendable {
        /// `ok` while the server answers.
        public var status: String
    }

    /// An admin call that failed.
    public struct Failure: Codable, Sendable {
        /// What went wrong, readable.
        public var error: String
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
