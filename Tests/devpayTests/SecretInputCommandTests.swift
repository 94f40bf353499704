import Foundation
import Testing

/// Secrets reach `devpay` without appearing in its argv (`/proc/PID/cmdline` is readable by other users):
/// from the environment, a file or standard input; a secret typed on the command line still works but warns
/// (issue #22, item 8).
@Suite("devpay secrets from the environment, files and stdin", .serialized)
struct SecretInputCommandTests {
    @Test("activate takes the key from stdin and the product token from a file or the environment, silently")
    func activateWithoutSecretsInArgv() async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let service = ["--endpoint", emulator.baseURL, "--ca-file", emulator.caFile]
        let tokenFile = emulator.folder.appendingPathComponent("product-token")
        try Data((emulator.productToken + "\n").utf8).write(to: tokenFile)

        let fromStdin = try await DevPayProcess.run(
            ["activate", "--activation-key", "-", "--product-token-file", tokenFile.path,
             "--store", emulator.storeFolder("stdin"), "--json"] + service,
            input: Data((emulator.activationKey + "\n").utf8))
        #expect(fromStdin.status == 0, "\(fromStdin.standardError)")
        #expect(!fromStdin.standardError.contains("warning"), "\(fromStdin.standardError)")

        let fromEnvironment = try await DevPayProcess.run(
            ["status", "--store", emulator.storeFolder("stdin"), "--json"] + service,
            environment: ["DEVPAY_PRODUCT_TOKEN": emulator.productToken])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.standardError)")
        // `status` reads the store alone (no network): a stored set reads as subscription unknown.
        #expect(fromEnvironment.standardOutput.contains("\"state\":\"subscriptionUnknown\""), "\(fromEnvironment.standardOutput)")
        #expect(!fromEnvironment.standardError.contains("warning"))
    }

    @Test("the activation key from the environment; argv secrets warn and are never echoed")
    func argvWarns() async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let service = ["--endpoint", emulator.baseURL, "--ca-file", emulator.caFile]
        let result = try await DevPayProcess.run(
            ["activate", "--product-token", emulator.productToken, "--store", emulator.storeFolder("argv")] + service,
            environment: ["DEVPAY_ACTIVATION_KEY": emulator.activationKey])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("warning: --product-token on the command line is visible to other users"))
        #expect(!result.standardError.contains("--activation-key on the command line"))
        #expect(!result.standardError.contains(emulator.productToken))
        #expect(!result.standardError.contains(emulator.activationKey))
    }

    @Test("two secrets cannot both read stdin, and a file and a value for one secret is a usage error")
    func conflictingSources() async throws {
        let both = try await DevPayProcess.run(
            ["activate", "--activation-key", "-", "--product-token", "-"], input: Data("x\n".utf8))
        #expect(both.status == 64, "\(both.standardError)")
        #expect(both.standardError.contains("already reads standard input"))
        let twice = try await DevPayProcess.run(
            ["activate", "--activation-key", "K", "--activation-key-file", "/dev/null", "--product-token", "{ProductToken}X"])
        #expect(twice.status == 64, "\(twice.standardError)")
        #expect(twice.standardError.contains("not both"))
    }
}
