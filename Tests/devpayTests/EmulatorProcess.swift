import DevPayTestSupport
import Foundation

/// `devpay emulator start --json` as a separate process with its state in a temporary folder: what a user
/// would run beside the CLI. The state file is the test's oracle for the secrets the emulator issued.
///
/// `@unchecked Sendable`: `process` is set once in `init`; only `stop()` touches it afterwards, once.
final class EmulatorProcess: @unchecked Sendable {
    let folder: URL
    let summary: [String: String]
    private let process: Process

    var baseURL: String { summary["baseURL"]! }
    var caFile: String { summary["caFile"]! }
    var productToken: String { summary["productToken"]! }
    var productCode: String { summary["productCode"]! }
    var activationKey: String { summary["activationKey"]! }
    var customerID: String { summary["customerID"]! }
    var adminToken: String { summary["adminToken"]! }
    var adminEnvironment: [String: String] {
        ["DEVPAY_EMULATOR_URL": baseURL, "DEVPAY_EMULATOR_CA_FILE": caFile, "DEVPAY_EMULATOR_ADMIN_TOKEN": adminToken]
    }

    struct StartFailed: Error {}

    /// Starts an emulator with one product sold to one customer under `purchase` (a `--purchase` scenario),
    /// waiting for its summary on a thread of its own.
    /// `arguments` and `environment` are added to the start command's (e.g. `--s3-backend`).
    static func start(
        purchase: String = "subscribed", arguments: [String] = [], environment: [String: String] = [:]
    ) async throws -> EmulatorProcess {
        try await offPool { try EmulatorProcess(purchase: purchase, arguments: arguments, environment: environment) }
    }

    private init(purchase: String, arguments: [String], environment: [String: String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-cli-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let outputFile = folder.appendingPathComponent("start.json")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        process = Process()
        process.executableURL = DevPayProcess.executableURL
        process.arguments = ["emulator", "start", "--json", "--state", folder.appendingPathComponent("state").path,
                             "--product-code", "774F4FF8", "--purchase", purchase] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var summary: [String: String] = [:]
        for _ in 0..<400 where summary.isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
            let data = try Data(contentsOf: outputFile)
            if data.last == UInt8(ascii: "\n") {
                summary = try JSONSerialization.jsonObject(with: data) as? [String: String] ?? [:]
            }
        }
        try? output.close()
        self.summary = summary
        guard summary["baseURL"] != nil else {
            stop()
            throw StartFailed()
        }
    }

    /// A store folder of its own for one test.
    func storeFolder(_ name: String) -> String { folder.appendingPathComponent("store-\(name)").path }

    /// Every secret the emulator has issued so far (secret keys and user tokens), read from its state file.
    func issuedSecrets() throws -> [String] {
        let folder = self.folder.appendingPathComponent("state")
        var secrets: [String] = [productToken]
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "json" {
            collect(try JSONSerialization.jsonObject(with: Data(contentsOf: file)), into: &secrets)
        }
        return secrets
    }

    private func collect(_ value: Any, into secrets: inout [String]) {
        if let object = value as? [String: Any] {
            for (key, inner) in object {
                if ["secretAccessKey", "userToken"].contains(key), let text = inner as? String { secrets.append(text) }
                collect(inner, into: &secrets)
            }
        } else if let array = value as? [Any] {
            for inner in array { collect(inner, into: &secrets) }
        }
    }

    func stop() {
        if process.isRunning {
            process.interrupt()
            for _ in 0..<100 where process.isRunning { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }
}
