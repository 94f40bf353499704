#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything the emulator knows, as one value: products, purchases, keys, credential sets, buckets and the
/// clock. Pure: callers pass in now and the random source; the server actor owns it and persists it.
struct EmulatorState: Codable, Sendable, Equatable {
    var clock: EmulatorClock
    var products: [String: EmulatorProduct] = [:]
    var purchases: [PurchaseRecord] = []
    var activationKeys: [String: ActivationKeyRecord] = [:]
    var credentialSets: [String: CredentialSetRecord] = [:]
    var buckets: [String: BucketRecord] = [:]
    /// Object metadata per bucket name, then per key.
    var objects: [String: [String: ObjectRecord]] = [:]

    init(clock: EmulatorClock) { self.clock = clock }

    func product(code: String) -> EmulatorProduct? { products[code] }
    func product(token: String) -> EmulatorProduct? { products.values.first { $0.productToken == token } }

    func purchaseIndex(customerID: String, productCode: String) -> Int? {
        purchases.firstIndex { $0.customerID == customerID && $0.productCode == productCode }
    }

    func subscriptionStatus(customerID: String, productCode: String, at now: Date) -> SubscriptionStatus? {
        purchaseIndex(customerID: customerID, productCode: productCode).map { purchases[$0].status(at: now) }
    }

    // MARK: Admin operations

    mutating func registerProduct<G: RandomNumberGenerator>(
        code: String?, token: String?, factory: inout CredentialFactory<G>
    ) throws(EmulatorError) -> EmulatorProduct {
        let code = code ?? factory.productCode()
        let token = token ?? factory.productToken()
        guard !code.isEmpty, code.count <= 64 else { throw .invalidArgument("product code must be 1…64 characters") }
        guard token.hasPrefix("{ProductToken}") else { throw .invalidArgument("product token must start with {ProductToken}") }
        if let existing = products[code], existing.productToken != token {
            throw .invalidArgument("product \(code) is already registered with another token")
        }
        if let other = product(token: token), other.productCode != code {
            throw .invalidArgument("that product token already belongs to product \(other.productCode)")
        }
        let product = EmulatorProduct(productCode: code, productToken: token)
        products[code] = product
        return product
    }

    /// A customer buys a product (a new customer unless `customerID` names one): returns the activation key
    /// the purchase page shows.
    mutating func purchase<G: RandomNumberGenerator>(
        productCode: String, customerID: String?, scenario: SubscriptionScenario, now: Date,
        factory: inout CredentialFactory<G>
    ) throws(EmulatorError) -> IssuedActivationKey {
        guard products[productCode] != nil else { throw .unknownProduct(code: productCode) }
        let customerID = customerID ?? factory.customerID()
        if let index = purchaseIndex(customerID: customerID, productCode: productCode) {
            purchases[index].scenario = scenario
        } else {
            purchases.append(PurchaseRecord(customerID: customerID, productCode: productCode, purchasedAt: now,
                                            scenario: scenario))
        }
        return try issueActivationKey(customerID: customerID, productCode: productCode, now: now, factory: &factory)
    }

    /// What the activate URL does: a fresh key for a customer who already bought the product.
    mutating func issueActivationKey<G: RandomNumberGenerator>(
        customerID: String, productCode: String, now: Date, factory: inout CredentialFactory<G>
    ) throws(EmulatorError) -> IssuedActivationKey {
        guard purchaseIndex(customerID: customerID, productCode: productCode) != nil else {
            throw .unknownCustomer(id: customerID)
        }
        let record = ActivationKeyRecord(key: factory.activationKey(), customerID: customerID,
                                         productCode: productCode, createdAt: now)
        activationKeys[record.key] = record
        return IssuedActivationKey(customerID: customerID, productCode: productCode, activationKey: record.key,
                                   expiresAt: record.expiresAt)
    }

    mutating func setScenario(
        _ scenario: SubscriptionScenario, customerID: String, productCode: String?
    ) throws(EmulatorError) {
        var matched = false
        for index in purchases.indices where purchases[index].customerID == customerID
            && (productCode == nil || purchases[index].productCode == productCode) {
            purchases[index].scenario = scenario
            matched = true
        }
        guard matched else { throw .unknownCustomer(id: customerID) }
    }

    /// Makes S3 answer `TokenRefreshRequired` to every current set of the customer (one product, or all)
    /// until each is refreshed; returns how many sets were marked.
    mutating func requireTokenRefresh(customerID: String, productCode: String?) throws(EmulatorError) -> Int {
        let matching = credentialSets.values.filter {
            $0.customerID == customerID && (productCode == nil || $0.productCode == productCode)
        }
        guard !matching.isEmpty else { throw .unknownCustomer(id: customerID) }
        for set in matching { credentialSets[set.accessKeyID]?.refreshRequired = true }
        return matching.count
    }

    // MARK: License Service operations

    /// `ActivateDesktopProduct`: a brand-new credential set; earlier sets stay valid (other devices).
    mutating func activate<G: RandomNumberGenerator>(
        activationKey: String, productToken: String, tokenLifetime: Int?, now: Date,
        factory: inout CredentialFactory<G>
    ) throws(LicenseServiceFault) -> CredentialSetRecord {
        guard let product = product(token: productToken) else { throw .invalidProductToken() }
        guard let key = activationKeys[activationKey] else { throw .invalidActivationKey() }
        guard key.productCode == product.productCode else { throw .incorrectActivationKey() }
        guard now < key.expiresAt else { throw .expiredActivationKey() }
        let set = CredentialSetRecord(
            accessKeyID: factory.accessKeyID(), secretAccessKey: factory.secretAccessKey(),
            userToken: factory.userToken(), customerID: key.customerID, productCode: product.productCode,
            issuedAt: now, userTokenExpiresAt: tokenLifetime.map { now.addingTimeInterval(TimeInterval($0)) },
            tokenLifetime: tokenLifetime)
        credentialSets[set.accessKeyID] = set
        return set
    }

    /// The set a user token belongs to, checked against the product token and the clock.
    func credentialSet(userToken: String, productToken: String, now: Date) throws(LicenseServiceFault)
        -> CredentialSetRecord
    {
        guard let product = product(token: productToken) else { throw .invalidProductToken() }
        guard let set = credentialSets.values.first(where: { $0.userToken == userToken }) else {
            throw .invalidUserToken("The user token is not valid.")
        }
        guard set.productCode == product.productCode else {
            throw .invalidUserToken("The user token was not issued for this product.")
        }
        if let expiry = set.userTokenExpiresAt, now >= expiry {
            throw .invalidUserToken("The user token has expired; reactivate the product.")
        }
        return set
    }

    /// `RefreshUserToken`: a new user token for the same set (same keys), the old token stops working.
    mutating func refresh<G: RandomNumberGenerator>(
        accessKeyID: String, now: Date, factory: inout CredentialFactory<G>
    ) -> CredentialSetRecord? {
        guard var set = credentialSets[accessKeyID] else { return nil }
        set.userToken = factory.userToken()
        set.refreshRequired = false
        set.userTokenExpiresAt = set.tokenLifetime.map { now.addingTimeInterval(TimeInterval($0)) }
        credentialSets[accessKeyID] = set
        return set
    }
}
