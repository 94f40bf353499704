import DevPayEmulator
import Foundation
import Testing

@Suite("emulator License Service: ActivateDesktopProduct")
struct LicenseServiceActivationTests {
    @Test("activation answers the documented XML with a user token, an Access Key ID and a secret")
    func activates() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        #expect(key.activationKey.count == 28)
        let reply = try await fixture.licenseService([
            ("Action", "ActivateDesktopProduct"), ("ActivationKey", key.activationKey),
            ("ProductToken", product.productToken), ("Version", "2008-04-28"),
        ])
        #expect(reply.status == 200)
        #expect(reply.text.contains("<ActivateDesktopProductResponse xmlns=\"http://ls.amazonaws.com/doc/2008-04-28/\">"))
        #expect(reply.text.contains("<ActivateDesktopProductResult>"))
        #expect(xmlText("UserToken", in: reply.text)?.hasPrefix("{UserToken}") == true)
        #expect(xmlText("AWSAccessKeyId", in: reply.text)?.count == 20)
        #expect(xmlText("SecretAccessKey", in: reply.text)?.count == 40)
        #expect(xmlText("RequestId", in: reply.text) != nil)
    }

    @Test("a key older than one hour on the emulator clock is ExpiredActivationKey")
    func expiredKey() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        try await fixture.server.advanceClock(by: 3599)
        _ = try await fixture.activate(product, key)
        try await fixture.server.advanceClock(by: 1)
        let reply = try await fixture.licenseService([
            ("Action", "ActivateDesktopProduct"), ("ActivationKey", key.activationKey),
            ("ProductToken", product.productToken), ("Version", "2008-04-28"),
        ])
        #expect(reply.status == 400)
        #expect(xmlText("Code", in: reply.text) == "ExpiredActivationKey")
        #expect(xmlText("Type", in: reply.text) == "Sender")
        #expect(xmlText("RequestID", in: reply.text) != nil)
    }

    @Test("key and token errors carry the documented codes", arguments: [
        ("other product's key", "IncorrectActivationKey"),
        ("malformed key", "InvalidActivationKey"),
        ("unknown key", "InvalidActivationKey"),
        ("unknown product token", "InvalidProductToken"),
        ("no product token", "MissingProductToken"),
        ("no key", "MissingParameter"),
        ("bad TokenExpiration", "InvalidParameterValue"),
    ])
    func errors(_ situation: String, _ code: String) async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let (_, otherKey) = try await fixture.purchased()
        var parameters: [String: String] = ["Action": "ActivateDesktopProduct", "Version": "2008-04-28",
                                            "ActivationKey": key.activationKey, "ProductToken": product.productToken]
        switch situation {
        case "other product's key": parameters["ActivationKey"] = otherKey.activationKey
        case "malformed key": parameters["ActivationKey"] = "not-a-key!"
        case "unknown key": parameters["ActivationKey"] = String(repeating: "A", count: 28)
        case "unknown product token": parameters["ProductToken"] = "{ProductToken}AAAA"
        case "no product token": parameters["ProductToken"] = nil
        case "no key": parameters["ActivationKey"] = nil
        default: parameters["TokenExpiration"] = "soon"
        }
        let reply = try await fixture.licenseService(parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        #expect(reply.status >= 400)
        #expect(reply.text.contains("<ErrorResponse xmlns=\"http://ls.amazonaws.com/doc/2008-04-28/\">"))
        #expect(xmlText("Code", in: reply.text) == code)
    }

    @Test("activating again returns a brand-new set")
    func reactivation() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let first = try await fixture.activate(product, key)
        let second = try await fixture.activate(product, key)
        #expect(first.userToken != second.userToken)
        #expect(first.accessKeyID != second.accessKeyID)
        #expect(first.secret != second.secret)
    }

    @Test("POST with a form body works like GET, and the 2007 version answers in its namespace")
    func formPostAndLegacyVersion() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let form = "Action=ActivateDesktopProduct&ActivationKey=\(key.activationKey)"
            + "&ProductToken=\(encode(product.productToken))&Version=2007-06-05"
        let reply = try await fixture.client.send("POST", fixture.url("/"),
                                                  headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                  body: Data(form.utf8))
        #expect(reply.status == 200)
        #expect(reply.text.contains("xmlns=\"http://ls.amazonaws.com/doc/2007-06-05/\""))
    }
}
