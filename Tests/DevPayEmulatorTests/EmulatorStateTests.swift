@testable import DevPayEmulator
import DevPayStateMachine
import Foundation
import Testing

@Suite("emulator state (no network)")
struct EmulatorStateTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("subscription scenarios move with the clock", arguments: [
        (SubscriptionScenario.subscribed, 0.0, SubscriptionStatus.subscribed),
        (.subscribedAfter(seconds: 900), 899, .pending),
        (.subscribedAfter(seconds: 900), 900, .subscribed),
        (.paymentFailed, 10_000, .paymentFailed),
        (.cancelled(at: Date(timeIntervalSince1970: 1_800_000_100)), 99, .subscribed),
        (.cancelled(at: Date(timeIntervalSince1970: 1_800_000_100)), 100, .cancelled),
    ])
    func scenarios(_ scenario: SubscriptionScenario, _ elapsed: Double, _ expected: SubscriptionStatus) throws {
        var state = EmulatorState(clock: .frozen(at: start))
        var factory = CredentialFactory(generator: SeededRandomNumberGenerator(seed: 3))
        let product = try state.registerProduct(code: nil, token: nil, factory: &factory)
        let key = try state.purchase(productCode: product.productCode, customerID: "C1", scenario: scenario,
                                     now: start, factory: &factory)
        #expect(state.subscriptionStatus(customerID: key.customerID, productCode: product.productCode,
                                         at: start.addingTimeInterval(elapsed)) == expected)
    }

    @Test("re-activation keeps the earlier device's set valid; TokenExpiration bounds the user token")
    func reactivationKeepsOlderSets() throws {
        var state = EmulatorState(clock: .frozen(at: start))
        var factory = CredentialFactory(generator: SeededRandomNumberGenerator(seed: 4))
        let product = try state.registerProduct(code: "774F4FF8", token: nil, factory: &factory)
        let key = try state.purchase(productCode: "774F4FF8", customerID: nil, scenario: .subscribed, now: start,
                                     factory: &factory)
        let first = try state.activate(activationKey: key.activationKey, productToken: product.productToken,
                                       tokenLifetime: 60, now: start, factory: &factory)
        let second = try state.activate(activationKey: key.activationKey, productToken: product.productToken,
                                        tokenLifetime: nil, now: start, factory: &factory)
        #expect(try state.credentialSet(userToken: first.userToken, productToken: product.productToken,
                                        now: start.addingTimeInterval(59)).accessKeyID == first.accessKeyID)
        #expect(throws: LicenseServiceFault.invalidUserToken("The user token has expired; reactivate the product.")) {
            try state.credentialSet(userToken: first.userToken, productToken: product.productToken,
                                    now: start.addingTimeInterval(60))
        }
        #expect(try state.credentialSet(userToken: second.userToken, productToken: product.productToken,
                                        now: start.addingTimeInterval(1e9)).accessKeyID == second.accessKeyID)
    }

    @Test("a seeded emulator issues the same keys and tokens every run")
    func deterministic() throws {
        func run() throws -> [String] {
            var state = EmulatorState(clock: .frozen(at: start))
            var factory = CredentialFactory(generator: SeededRandomNumberGenerator(seed: 42))
            let product = try state.registerProduct(code: nil, token: nil, factory: &factory)
            let key = try state.purchase(productCode: product.productCode, customerID: nil, scenario: .subscribed,
                                         now: start, factory: &factory)
            let set = try state.activate(activationKey: key.activationKey, productToken: product.productToken,
                                         tokenLifetime: nil, now: start, factory: &factory)
            return [product.productToken, key.activationKey, set.userToken, set.accessKeyID, set.secretAccessKey]
        }
        #expect(try run() == run())
    }

    @Test("the fault script is consumed in order, then the rates apply")
    func faultPlan() {
        var plan = FaultPlan(target: .s3, script: [.dropConnection, .pass], unavailableRate: 1, retryAfterSeconds: 3)
        var generator = SeededRandomNumberGenerator(seed: 5)
        #expect(plan.decide(for: .licenseService, using: &generator).outcome == .answer)
        #expect(plan.decide(for: .s3, using: &generator).outcome == .drop)
        #expect(plan.decide(for: .s3, using: &generator).outcome == .answer)
        #expect(plan.decide(for: .s3, using: &generator).outcome == .unavailable(retryAfterSeconds: 3))
    }
}
