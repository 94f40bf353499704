import DevPayTestSupport
import Foundation
import Testing

/// `devpay activate --soap` and `--api-version` as a user runs them against an emulator process over HTTPS,
/// and the product token parsed once: a padded token activates into the same store folder as the clean one.
@Suite("devpay activate: the License Service's wire forms", .serialized)
struct ActivateWireOptionsTests {
    func options(_ emulator: EmulatorProcess, store: String, token: String? = nil) -> [String] {
        ["--product-token", token ?? emulator.productToken, "--store", store, "--endpoint", emulator.baseURL,
         "--ca-file", emulator.caFile]
    }

    @Test("--soap with either --api-version activates and stores a set that then verifies (REST-Query)",
          arguments: ["2008-04-28", "2007-06-05"])
    func soapActivation(_ version: String) async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let store = emulator.storeFolder("soap-\(version)")
        let activated = try await DevPayProcess.run(
            ["activate", "--activation-key", emulator.activationKey, "--soap", "--api-version", version,
             "--wait", "20", "--poll-interval", "1", "--json", "--log-level", "trace"] + options(emulator, store: store))
        #expect(activated.status == 0, "\(activated.standardError)")
        #expect(activated.standardOutput.contains("\"state\":\"subscribed\""))
        // The envelope carries the key and the product token: neither may reach the output, even at trace.
        for secret in [emulator.productToken, emulator.activationKey] {
            #expect(!activated.standardOutput.contains(secret))
            #expect(!activated.standardError.contains(secret))
        }
        let verified = try await DevPayProcess.run(["verify"] + options(emulator, store: store))
        #expect(verified.status == 0, "\(verified.standardError)")
    }

    @Test("a SOAP fault (an unknown key) exits 65 with the activate URL, like REST-Query")
    func soapFault() async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let result = try await DevPayProcess.run(
            ["activate", "--activation-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "--soap"]
                + options(emulator, store: emulator.storeFolder("soap-bad")))
        #expect(result.status == 65, "\(result.standardError)")
        #expect(result.standardError.contains("http://www.amazon.com/dp-activate"))
    }

    @Test("an unknown --api-version is a usage error naming the versions; nothing is sent")
    func unknownVersion() async throws {
        let result = try await DevPayProcess.run(
            ["activate", "--activation-key", "ADMAY7DVLJTWHJ76MMBMQYT5LATA", "--api-version", "2009-01-01",
             "--product-token", "{ProductToken}X", "--endpoint", "https://127.0.0.1:1/"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("2007-06-05"))
        #expect(result.standardError.contains("2008-04-28"))
    }

    @Test("a malformed product token is a usage error before anything is sent, and is not echoed")
    func malformedProductToken() async throws {
        let result = try await DevPayProcess.run(
            ["activate", "--activation-key", "ADMAY7DVLJTWHJ76MMBMQYT5LATA", "--product-token", "NoPrefixSecretToken",
             "--store", FileManager.default.temporaryDirectory.appendingPathComponent("devpay-\(UUID())").path,
             "--endpoint", "https://127.0.0.1:1/"])
        #expect(result.status == 64, "\(result.standardError)")
        #expect(result.standardError.contains("{ProductToken}"))
        #expect(!result.standardError.contains("NoPrefixSecretToken"))
    }

    @Test("a token with stray white space is the same product: same store folder, named as before for the clean token")
    func paddedTokenSameFolder() async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let store = emulator.storeFolder("padded")
        let padded = "  " + emulator.productToken + " \n"
        let activated = try await DevPayProcess.run(
            ["activate", "--activation-key", emulator.activationKey] + options(emulator, store: store, token: padded))
        #expect(activated.status == 0, "\(activated.standardError)")
        let status = try await DevPayProcess.run(["status", "--json"] + options(emulator, store: store))
        #expect(status.status == 0, "\(status.standardError)")
        #expect(status.standardOutput.contains("\"accessKeyID\""))

        // The folder is t- + the first 128 bits of SHA-256 of the clean token: what every earlier version
        // named it (computed here by Python's hashlib, not by our code).
        let digest = try await offPool {
            try childOutput(["python3", "-c", "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).digest()[:16].hex())"],
                            input: Data(emulator.productToken.utf8))
        }
        let expected = "t-" + String(decoding: digest, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let folders = try FileManager.default.contentsOfDirectory(atPath: store + "/products")
        #expect(folders == [expected])
    }
}
