import Foundation
import Testing

/// What the CLI prints and writes for a newcomer: JSON with ISO 8601 times, `doctor --json`, and a download
/// that never replaces a file the user did not name.
@Suite("devpay output: --json, ISO 8601, s3 get's overwrite check", .serialized)
struct CLIOutputTests {
    @Test("doctor --json reports every check and the verdict")
    func doctorJSON() async throws {
        let result = try await DevPayProcess.run(["doctor", "--json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == true)
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(checks.map { $0["name"] as? String }.contains("OpenSSL"))
        #expect(checks.allSatisfy { $0["ok"] as? Bool == true })
    }

    @Test("activate and status --json print times as ISO 8601; s3 get without FILE refuses to replace a file unless --force")
    func isoTimesAndOverwriteCheck() async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let connection = ["--product-token", emulator.productToken, "--store", emulator.storeFolder("output"),
                          "--endpoint", emulator.baseURL, "--ca-file", emulator.caFile]
        let activated = try await DevPayProcess.run(
            ["activate", "--activation-key", emulator.activationKey, "--wait", "20", "--poll-interval", "1", "--json"]
                + connection)
        #expect(activated.status == 0, "\(activated.standardError)")
        // Each transition line carries a full timestamp with milliseconds.
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let times = activated.standardOutput.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["time"] as? String
        }
        #expect(!times.isEmpty)
        #expect(times.allSatisfy { withFraction.date(from: $0) != nil }, "\(times)")

        let status = try await DevPayProcess.run(["status", "--json"] + connection)
        #expect(status.status == 0, "\(status.standardError)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.standardOutput.utf8)) as? [String: Any])
        let activatedAt = try #require((report["credentials"] as? [String: Any])?["activatedAt"] as? String,
                                       "activatedAt is not a string: \(status.standardOutput)")
        #expect(ISO8601DateFormatter().date(from: activatedAt) != nil, "\(activatedAt)")

        let folder = emulator.folder.appendingPathComponent("downloads")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let upload = folder.appendingPathComponent("upload.txt")
        try Data("from S3\n".utf8).write(to: upload)
        for arguments in [["mb", "output-bucket"], ["put", upload.path, "output-bucket", "dir/notes.txt"]] {
            let result = try await DevPayProcess.run(["s3"] + arguments + connection)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
        }
        let existing = folder.appendingPathComponent("notes.txt")
        try Data("mine\n".utf8).write(to: existing)

        let refused = try await DevPayProcess.run(["s3", "get", "output-bucket", "dir/notes.txt"] + connection, directory: folder)
        #expect(refused.status == 1, "\(refused.standardError)")
        #expect(refused.standardError.contains("--force"))
        #expect(try String(contentsOf: existing, encoding: .utf8) == "mine\n")

        let forced = try await DevPayProcess.run(
            ["s3", "get", "output-bucket", "dir/notes.txt", "--force"] + connection, directory: folder)
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(try String(contentsOf: existing, encoding: .utf8) == "from S3\n")
    }
}
