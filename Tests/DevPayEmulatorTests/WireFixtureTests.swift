import DevPayEmulator
import Foundation
import Testing

/// Records the emulator's answers as wire fixtures in `Specs/emulator/` for clients' parser tests, and
/// checks on every run that the emulator still answers exactly that (frozen clock, seeded randomness).
/// Re-record after a deliberate change with `DEVPAY_RECORD_FIXTURES=1`.
@Suite("emulator wire fixtures")
struct WireFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Specs/emulator", isDirectory: true)

    @Test("License Service and S3 answers match the recorded fixtures")
    func answersMatchFixtures() async throws {
        let fixture = try await EmulatorFixture.start(seed: 2008)
        defer { Task { await fixture.server.stop() } }
        var answers: [(String, CurlClient.Reply)] = []

        let product = try await fixture.server.registerProduct(productCode: "774F4FF8")
        let key = try await fixture.server.purchase(productCode: "774F4FF8", scenario: .subscribedAfter(seconds: 900))
        let activation = [("Action", "ActivateDesktopProduct"), ("ActivationKey", key.activationKey),
                          ("ProductToken", product.productToken), ("Version", "2008-04-28")]
        answers.append(("ls-activate-success", try await fixture.licenseService(activation)))
        let customer = try await fixture.customer(product, key)
        answers.append(("ls-activate-invalid-key", try await fixture.licenseService([
            ("Action", "ActivateDesktopProduct"), ("ActivationKey", "NOT-A-KEY"),
            ("ProductToken", product.productToken), ("Version", "2008-04-28")])))
        answers.append(("ls-activate-invalid-product-token", try await fixture.licenseService([
            ("Action", "ActivateDesktopProduct"), ("ActivationKey", key.activationKey),
            ("ProductToken", "{ProductToken}AAAA"), ("Version", "2008-04-28")])))
        answers.append(("ls-verify-pending", try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)))
        answers.append(("s3-access-denied-unsubscribed", try await fixture.s3("GET", "/", customer)))
        try await fixture.server.advanceClock(by: 900)
        answers.append(("ls-verify-subscribed", try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)))
        answers.append(("ls-verify-signature-mismatch", try await fixture.signedLicenseService(
            "VerifyProductSubscriptionByTokens", customer, secret: String(repeating: "A", count: 40))))
        _ = try await fixture.s3("PUT", "/fixture-bucket", customer)
        _ = try await fixture.s3("PUT", "/fixture-bucket/notes/a.txt", body: Data("a".utf8), customer)
        answers.append(("s3-list-buckets", try await fixture.s3("GET", "/", customer)))
        answers.append(("s3-list-objects-v2", try await fixture.s3("GET", "/fixture-bucket?list-type=2", customer)))
        answers.append(("s3-no-such-key", try await fixture.s3("GET", "/fixture-bucket/missing", customer)))
        await fixture.server.setFaults(FaultPlan(script: [.serviceUnavailable(retryAfterSeconds: 2),
                                                          .serviceUnavailable(retryAfterSeconds: nil)]))
        answers.append(("ls-throttled-503", try await fixture.licenseService(activation)))
        answers.append(("s3-slow-down-503", try await fixture.s3("GET", "/", customer)))
        try await fixture.server.setSubscriptionScenario(.paymentFailed, customerID: key.customerID)
        answers.append(("ls-verify-user-not-subscribed", try await fixture.signedLicenseService("VerifyProductSubscriptionByTokens", customer)))
        try await fixture.server.setSubscriptionScenario(.subscribed, customerID: key.customerID)
        let refresh = try await fixture.signedLicenseService("RefreshUserToken", customer)
        answers.append(("ls-refresh-success", refresh))
        answers.append(("s3-invalid-token-after-refresh", try await fixture.s3("GET", "/", customer)))
        try await fixture.server.advanceClock(by: 3600)
        answers.append(("ls-activate-expired-key", try await fixture.licenseService(activation)))

        let record = ProcessInfo.processInfo.environment["DEVPAY_RECORD_FIXTURES"] == "1"
        if record { try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true) }
        for (name, reply) in answers {
            let text = "HTTP \(reply.status)\n\n" + reply.text
            let file = Self.folder.appendingPathComponent(name + ".txt")
            if record {
                try text.write(to: file, atomically: true, encoding: .utf8)
            } else {
                let recorded = try? String(contentsOf: file, encoding: .utf8)
                #expect(recorded == text, "\(name) differs from Specs/emulator/\(name).txt")
            }
        }
    }
}
