import Foundation
import Testing

/// `activate`, `status`, `verify`, `watch` and DevPay-mode `s3` as a user runs them: real processes, real
/// HTTPS to an emulator process, a temporary store.
@Suite("devpay lifecycle commands against the emulator", .serialized)
struct LifecycleCommandTests {
    func connection(_ emulator: EmulatorProcess, store: String) -> [String] {
        ["--product-token", emulator.productToken, "--store", store]
    }

    func licenseService(_ emulator: EmulatorProcess) -> [String] {
        ["--endpoint", emulator.baseURL, "--ca-file", emulator.caFile]
    }

    func json(_ result: DevPayProcess.Result) throws -> [String: Any] {
        let line = try #require(result.standardOutput.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("activate, status, s3 mb/put/ls/get and verify work end to end; no secret reaches stdout or stderr at trace")
    func activateStatusAndS3() async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let store = emulator.storeFolder("main")
        let trace = ["--log-level", "trace"]
        var outputs: [DevPayProcess.Result] = []

        let activated = try await DevPayProcess.run(
            ["activate", "--activation-key", emulator.activationKey, "--wait", "20", "--poll-interval", "1", "--json"]
                + connection(emulator, store: store) + licenseService(emulator) + trace)
        outputs.append(activated)
        #expect(activated.status == 0, "\(activated.standardError)")
        let report = try json(activated)
        #expect(report["state"] as? String == "subscribed")
        let credentials = try #require(report["credentials"] as? [String: Any])
        #expect((credentials["accessKeyID"] as? String)?.isEmpty == false)
        #expect(activated.standardOutput.contains("\"to\":\"activatedUnsubscribed\""))

        let status = try await DevPayProcess.run(["status", "--verify", "--json"] + connection(emulator, store: store) + licenseService(emulator) + trace)
        outputs.append(status)
        #expect(status.status == 0, "\(status.standardError)")
        let statusReport = try json(status)
        #expect(statusReport["state"] as? String == "subscribed")
        #expect((statusReport["credentials"] as? [String: Any])?["accessKeyID"] as? String == credentials["accessKeyID"] as? String)

        let s3 = connection(emulator, store: store) + ["--endpoint", emulator.baseURL, "--ca-file", emulator.caFile] + trace
        let file = emulator.folder.appendingPathComponent("upload.txt")
        try Data("DevPay end to end\n".utf8).write(to: file)
        for arguments in [["mb", "e2e-bucket"], ["put", file.path, "e2e-bucket", "a/b.txt"], ["ls", "e2e-bucket", "--json"],
                          ["get", "e2e-bucket", "a/b.txt", emulator.folder.appendingPathComponent("back.txt").path]] {
            let result = try await DevPayProcess.run(["s3"] + arguments + s3)
            outputs.append(result)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
        }
        #expect(outputs[outputs.count - 2].standardOutput.contains("\"key\":\"a/b.txt\""))
        #expect(try String(contentsOf: emulator.folder.appendingPathComponent("back.txt"), encoding: .utf8) == "DevPay end to end\n")
        // The same bucket, addressed with its name in the host.
        let port = try #require(URL(string: emulator.baseURL)?.port)
        let virtualHosted = try await DevPayProcess.run(
            ["s3", "ls", "e2e-bucket", "--json", "--virtual-hosted"] + connection(emulator, store: store)
                + ["--endpoint", "https://s3.localhost:\(port)", "--ca-file", emulator.caFile] + trace)
        outputs.append(virtualHosted)
        #expect(virtualHosted.status == 0, "\(virtualHosted.standardError)")
        #expect(virtualHosted.standardOutput.contains("\"key\":\"a/b.txt\""))
        #expect(virtualHosted.standardError.contains("e2e-bucket.s3.localhost"))

        let verified = try await DevPayProcess.run(["verify"] + connection(emulator, store: store) + licenseService(emulator) + trace)
        outputs.append(verified)
        #expect(verified.status == 0, "\(verified.standardError)")

        let secrets = try emulator.issuedSecrets()
        #expect(secrets.count >= 3)
        for result in outputs {
            for secret in secrets {
                #expect(!result.standardOutput.contains(secret) && !result.standardError.contains(secret))
            }
        }
    }

    @Test("watch prints the transitions up to subscribed while the card is vetted; s3 finds everything in DEVPAY_* variables")
    func watchUntilSubscribed() async throws {
        let emulator = try await EmulatorProcess.start(purchase: "after:3")
        defer { emulator.stop() }
        let environment = [
            "DEVPAY_PRODUCT_TOKEN": emulator.productToken, "DEVPAY_STORE": emulator.storeFolder("watch"),
            "DEVPAY_ENDPOINT": emulator.baseURL, "DEVPAY_CA_FILE": emulator.caFile,
        ]
        let activated = try await DevPayProcess.run(["activate", "--activation-key", emulator.activationKey], environment: environment)
        #expect(activated.status == 0, "\(activated.standardError)")
        #expect(activated.standardOutput.contains("state: activatedUnsubscribed"))
        let watched = try await DevPayProcess.run(
            ["watch", "--until", "subscribed", "--timeout", "40", "--poll-interval", "1", "--json"], environment: environment)
        #expect(watched.status == 0, "\(watched.standardError)")
        let lines = try watched.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.last?["to"] as? String == "subscribed")
        #expect(lines.contains { $0["to"] as? String == "activatedUnsubscribed" || $0["to"] as? String == "verifying" })
        let listed = try await DevPayProcess.run(["s3", "ls", "--json"], environment: environment)
        #expect(listed.status == 0, "\(listed.standardError)")
        #expect(try json(listed)["buckets"] as? [Any] != nil)
    }

    @Test("an unknown activation key exits 65 and points to the activate URL")
    func badActivationKey() async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let result = try await DevPayProcess.run(
            ["activate", "--activation-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"]
                + connection(emulator, store: emulator.storeFolder("bad")) + licenseService(emulator))
        #expect(result.status == 65, "\(result.standardError)")
        #expect(result.standardError.contains("http://www.amazon.com/dp-activate"))
        let malformed = try await DevPayProcess.run(
            ["activate", "--activation-key", "not a key!"] + connection(emulator, store: emulator.storeFolder("bad")) + licenseService(emulator))
        #expect(malformed.status == 65)
        #expect(malformed.standardError.contains("http://www.amazon.com/dp-activate"))
        #expect(!malformed.standardError.contains("not a key!"))
    }

    @Test("a customer whose payment failed is refused S3 with exit 77 and the billing URL")
    func paymentFailedRefusesS3() async throws {
        let emulator = try await EmulatorProcess.start(purchase: "payment-failed")
        defer { emulator.stop() }
        let store = emulator.storeFolder("unpaid")
        let activated = try await DevPayProcess.run(
            ["activate", "--activation-key", emulator.activationKey, "--json"] + connection(emulator, store: store) + licenseService(emulator))
        #expect(activated.status == 0, "\(activated.standardError)")
        let listed = try await DevPayProcess.run(
            ["s3", "ls", "--endpoint", emulator.baseURL, "--ca-file", emulator.caFile] + connection(emulator, store: store))
        #expect(listed.status == 77, "\(listed.standardError)")
        #expect(listed.standardError.contains("http://www.amazon.com/dp-applications"))
    }

    @Test("a missing required option is a usage error (exit 64)")
    func usageError() async throws {
        let result = try await DevPayProcess.run(["activate", "--product-token", "{ProductToken}X"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--activation-key"))
    }

    @Test("diagram prints the lifecycle in Mermaid and dot")
    func diagram() async throws {
        let mermaid = try await DevPayProcess.run(["diagram"])
        #expect(mermaid.status == 0)
        #expect(mermaid.standardOutput.contains("stateDiagram-v2"))
        #expect(mermaid.standardOutput.contains("subscribed"))
        let dot = try await DevPayProcess.run(["diagram", "--format", "dot"])
        #expect(dot.standardOutput.contains("digraph"))
    }
}

/// `--help` is ArgumentParser's, with the exit statuses documented in it.
@Suite("devpay help")
struct HelpTests {
    @Test("--help exits 0 and documents the exit statuses and the subcommands")
    func rootHelp() async throws {
        let result = try await DevPayProcess.run(["--help"])
        #expect(result.status == 0, "\(result.standardError)")
        for expected in ["demo", "activate", "status", "verify", "watch", "s3", "diagram", "emulator",
                         "65 activation key", "77 not subscribed", "69 network"] {
            #expect(result.standardOutput.contains(expected), "missing \(expected)")
        }
    }

    @Test("help for a nested subcommand shows its options, --log-level among them")
    func nestedHelp() async throws {
        let result = try await DevPayProcess.run(["s3", "put", "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("--log-level"))
        #expect(result.standardOutput.contains("--allow-http"))
        #expect(try await DevPayProcess.run(["help", "activate"]).standardOutput.contains("--activation-key"))
    }
}
