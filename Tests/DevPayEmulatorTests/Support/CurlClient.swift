import Foundation

/// A minimal HTTPS client for tests: the `curl` command, trusting only the emulator's CA, awaited without
/// blocking a thread (the server under test runs on the same cooperative pool).
struct CurlClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        /// curl's exit code: 0 when an answer arrived, non-zero when the connection failed.
        var curlExitCode: Int32
    }

    let caFile: URL

    func send(_ method: String = "GET", _ url: String, headers: [String: String] = [:], body: Data? = nil,
              extraArguments: [String] = []) async throws -> Reply
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let headerFile = folder.appendingPathComponent("headers")
        let bodyFile = folder.appendingPathComponent("body")
        var arguments = ["-s", "--max-time", "20", "--cacert", caFile.path, "-X", method, "-D", headerFile.path,
                         "-o", bodyFile.path, "-w", "%{http_code}"]
        if method == "HEAD" { arguments = arguments.filter { $0 != "-X" && $0 != "HEAD" } + ["-I"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body {
            let upload = folder.appendingPathComponent("upload")
            try body.write(to: upload)
            arguments += ["--data-binary", "@\(upload.path)"]
        }
        arguments += extraArguments + [url]
        let (exitCode, output) = try await Self.run("/usr/bin/curl", arguments)
        let headerText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        var parsed: [String: String] = [:]
        for line in headerText.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Reply(status: Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, headers: parsed,
                     body: (try? Data(contentsOf: bodyFile)) ?? Data(), curlExitCode: exitCode)
    }

    /// Runs a program to completion and returns its exit code and standard output (collected in a file, so
    /// no thread blocks on a pipe).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil)
        async throws -> (Int32, String)
    {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status, (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "")
    }
}
