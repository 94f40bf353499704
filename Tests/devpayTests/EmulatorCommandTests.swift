import Foundation
import Testing

/// Runs `devpay emulator start` as a real process and drives it with the admin subcommands, as a user would.
@Suite("devpay emulator")
struct EmulatorCommandTests {
    @Test("start prints its URL and CA file; the admin subcommands sell, move the clock and fault; SIGINT stops it")
    func startAndDrive() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-emu-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputFile = folder.appendingPathComponent("start.json")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }

        let server = Process()
        server.executableURL = DevPayProcess.executableURL
        server.arguments = ["emulator", "start", "--json", "--state", folder.appendingPathComponent("state").path,
                            "--product-code", "774F4FF8", "--purchase", "after:900"]
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }

        var summary: [String: String] = [:]
        for _ in 0..<200 where summary.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            let data = try Data(contentsOf: outputFile)
            if data.last == UInt8(ascii: "\n") {
                summary = try JSONSerialization.jsonObject(with: data) as? [String: String] ?? [:]
            }
        }
        let baseURL = try #require(summary["baseURL"])
        #expect(baseURL.hasPrefix("https://127.0.0.1:"))
        #expect(summary["productCode"] == "774F4FF8")
        #expect(summary["activationKey"]?.count == 28)
        let customer = try #require(summary["customerID"])
        let adminToken = try #require(summary["adminToken"])
        #expect(adminToken.count == 64)
        let caFile = try #require(summary["caFile"])
        let environment = ["DEVPAY_EMULATOR_URL": baseURL, "DEVPAY_EMULATOR_CA_FILE": caFile,
                           "DEVPAY_EMULATOR_ADMIN_TOKEN": adminToken]

        // Without the token (another local user), or with a wrong one, the admin API refuses to mint a key.
        let anonymous = ["DEVPAY_EMULATOR_URL": baseURL, "DEVPAY_EMULATOR_CA_FILE": caFile]
        let refused = try await DevPayProcess.run(["emulator", "new-key", "--customer", customer, "--product-code", "774F4FF8"],
                                                  environment: anonymous.merging(["DEVPAY_EMULATOR_ADMIN_TOKEN": "guess"]) { $1 })
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("HTTP 401"), "\(refused.standardError)")
        #expect(!refused.standardOutput.contains("activationKey"))
        let missing = try await DevPayProcess.run(["emulator", "new-key", "--customer", customer, "--product-code", "774F4FF8"],
                                                  environment: anonymous)
        #expect(missing.status == 64, "\(missing.standardError)")
        // The token can come from stdin instead of the environment.
        let fromStdin = try await DevPayProcess.run(
            ["emulator", "clock", "--admin-token", "-", "--json"], environment: anonymous, input: Data((adminToken + "\n").utf8))
        #expect(fromStdin.status == 0, "\(fromStdin.standardError)")
        #expect(!fromStdin.standardError.contains("warning"))

        let pending = try await DevPayProcess.run(["emulator", "subscription", "--customer", customer,
                                             "--product-code", "774F4FF8", "--json"], environment: environment)
        #expect(pending.status == 0, "stderr: \(pending.standardError)")
        #expect(pending.standardOutput.contains("\"status\":\"pending\""))
        #expect(try await DevPayProcess.run(["emulator", "clock", "--advance", "900"], environment: environment).status == 0)
        let subscribed = try await DevPayProcess.run(["emulator", "subscription", "--customer", customer,
                                                "--product-code", "774F4FF8"], environment: environment)
        #expect(subscribed.standardOutput.contains("status: subscribed"))
        let key = try await DevPayProcess.run(["emulator", "new-key", "--customer", customer, "--product-code", "774F4FF8",
                                         "--json"], environment: environment)
        #expect(key.standardOutput.contains("\"activationKey\""))
        let faults = try await DevPayProcess.run(["emulator", "faults", "--target", "s3", "--script", "503:2", "--json"],
                                           environment: environment)
        #expect(faults.standardOutput.contains("\"retryAfterSeconds\":2"))
        let unknown = try await DevPayProcess.run(["emulator", "purchase", "--product-code", "NOPE"], environment: environment)
        #expect(unknown.status != 0)
        #expect(unknown.standardError.contains("no product with code NOPE"))
        let badScenario = try await DevPayProcess.run(["emulator", "purchase", "--product-code", "774F4FF8",
                                                 "--scenario", "someday"], environment: environment)
        #expect(badScenario.status == 64)

        server.interrupt()
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }
}
