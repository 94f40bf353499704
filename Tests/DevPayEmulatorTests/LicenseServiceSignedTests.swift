import DevPayEmulator
import Foundation
import Testing

@Suite("emulator License Service: signed actions")
struct LicenseServiceSignedTests {
    @Test("VerifyProductSubscriptionByTokens follows the card-vetting scenario")
    func verifyFollowsVetting() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased(scenario: .subscribedAfter(seconds: 900))
        let customer = try await fixture.customer(product, key)
        let pending = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)
        #expect(pending.status == 200)
        #expect(pending.text.contains("<VerifyProductSubscriptionByTokensResponse xmlns=\"http://ls.amazonaws.com/doc/2008-04-28/\">"))
        #expect(xmlText("Subscribed", in: pending.text) == "false")
        try await fixture.server.advanceClock(by: 900)
        let subscribed = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)
        #expect(xmlText("Subscribed", in: subscribed.text) == "true")
    }

    @Test("payment failed is UserNotSubscribed; a cancelled subscription verifies false from its date")
    func paymentFailedAndCancelled() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased(scenario: .paymentFailed)
        let customer = try await fixture.customer(product, key)
        let failed = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)
        #expect(xmlText("Code", in: failed.text) == "UserNotSubscribed")
        let cancelAt = EmulatorFixture.epoch.addingTimeInterval(60)
        try await fixture.server.setSubscriptionScenario(.cancelled(at: cancelAt), customerID: key.customerID)
        let before = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)
        #expect(xmlText("Subscribed", in: before.text) == "true")
        try await fixture.server.advanceClock(by: 60)
        let after = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)
        #expect(xmlText("Subscribed", in: after.text) == "false")
    }

    @Test("bad signatures, keys, times and tokens get the documented codes")
    func authenticationErrors() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let customer = try await fixture.customer(product, key)
        let other = try await fixture.customer(product, key)
        let action = "VerifyProductSubscriptionByTokens"

        let wrongSecret = try await fixture.signedLicenseService(action, customer, secret: String(repeating: "x", count: 40))
        #expect(wrongSecret.status == 403)
        #expect(xmlText("Code", in: wrongSecret.text) == "SignatureDoesNotMatch")
        var unknown = customer
        unknown.accessKeyID = "AKIA" + String(repeating: "Z", count: 16)
        #expect(xmlText("Code", in: try await fixture.signedLicenseService(action, unknown).text) == "InvalidAccessKeyId")
        let stale = try await fixture.signedLicenseService(action, customer, at: EmulatorFixture.epoch.addingTimeInterval(-16 * 60))
        #expect(xmlText("Code", in: stale.text) == "RequestExpired")
        let missing = try await fixture.signedLicenseService(action, customer, parameters: [("ProductToken", product.productToken)])
        #expect(xmlText("Code", in: missing.text) == "MissingUserToken")
        let noProduct = try await fixture.signedLicenseService(action, customer, parameters: [("UserToken", customer.userToken)])
        #expect(xmlText("Code", in: noProduct.text) == "MissingProductToken")
        // Another device's token signed with this device's keys.
        let foreign = try await fixture.signedLicenseService(action, customer, parameters: [
            ("UserToken", other.userToken), ("ProductToken", product.productToken)])
        #expect(xmlText("Code", in: foreign.text) == "InvalidUserToken")
        let unsigned = try await fixture.licenseService([
            ("Action", action), ("UserToken", customer.userToken), ("ProductToken", product.productToken),
            ("Version", "2008-04-28")])
        #expect(xmlText("Code", in: unsigned.text) == "MissingParameter")
    }

    @Test("a user token past its TokenExpiration is InvalidUserToken; other devices' sets stay valid")
    func tokenExpiry() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let shortLived = try await fixture.customer(product, key, tokenExpiration: 600)
        let otherDevice = try await fixture.customer(product, key)
        try await fixture.server.advanceClock(by: 600)
        let expired = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", shortLived)
        #expect(xmlText("Code", in: expired.text) == "InvalidUserToken")
        let stillValid = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", otherDevice)
        #expect(xmlText("Subscribed", in: stillValid.text) == "true")
    }

    @Test("RefreshUserToken returns a new token for the same keys and retires the old one")
    func refresh() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        var customer = try await fixture.customer(product, key)
        let reply = try await fixture.signedLicenseService("RefreshUserToken", customer)
        #expect(reply.status == 200)
        #expect(reply.text.contains("<RefreshUserTokenResult>"))
        let newToken = try #require(xmlText("UserToken", in: reply.text))
        #expect(newToken.hasPrefix("{UserToken}") && newToken != customer.userToken)
        let old = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)
        #expect(xmlText("Code", in: old.text) == "InvalidUserToken")
        customer.userToken = newToken
        let fresh = try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)
        #expect(xmlText("Subscribed", in: fresh.text) == "true")
    }
}
