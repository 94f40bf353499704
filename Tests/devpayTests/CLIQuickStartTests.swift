import DevPayTestSupport
import Foundation
import Testing

/// README.md's CLI quick start as a newcomer runs it: `devpay emulator start` with the README's arguments in
/// one "terminal", its printed `export` lines and then the README's session lines, verbatim, in another.
@Suite("README's CLI quick start runs verbatim", .serialized)
struct CLIQuickStartTests {
    static let readme = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "README.md")

    @Test("emulator start, then activate, mb, put, ls and get with the printed exports")
    func quickStart() async throws {
        let blocks = MarkedCodeBlock.blocks(
            in: try String(contentsOf: Self.readme, encoding: .utf8), language: "sh", kind: "cli")
        let start = try #require(blocks.first { $0.name == "emulator" }, "README.md: no '<!-- cli: emulator -->' block")
        let session = try #require(blocks.first { $0.name == "quick-start" }, "README.md: no '<!-- cli: quick-start -->' block")
        let words = start.code.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(words.first == "devpay")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-quick-start-\(UUID().uuidString)")
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let emulator = try await offPool { try TerminalProcess.emulator(Array(words.dropFirst()), folder: folder) }
        defer { emulator.stop() }
        let exports = emulator.exports
        #expect(Set(exports.keys) == ["DEVPAY_ENDPOINT", "DEVPAY_CA_FILE", "DEVPAY_PRODUCT_TOKEN", "DEVPAY_ACTIVATION_KEY"])

        // The second terminal: the user's PATH with the built tool first, a home of its own (the credential
        // store goes to ~/.local/share/devpay), the pasted exports.
        let tools = DevPayProcess.executableURL.deletingLastPathComponent().path
        var environment = ProcessInfo.processInfo.environment.merging(exports) { $1 }
        environment["PATH"] = tools + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["HOME"] = folder.path
        environment.removeValue(forKey: "XDG_DATA_HOME")
        environment.removeValue(forKey: "DEVPAY_STORE")
        let terminal = environment
        let result = try await offPool {
            try TerminalProcess.shell(session.code, environment: terminal, directory: work)
        }
        #expect(result.status == 0, "the session failed:\n\(result.output)")
        let copy = try String(contentsOf: work.appendingPathComponent("copy.txt"), encoding: .utf8)
        #expect(copy == "hello\n")
    }
}

/// Processes started the way a user starts them in a terminal.
///
/// `@unchecked Sendable`: `process` is set once in `init`; only `stop()` touches it afterwards.
private final class TerminalProcess: @unchecked Sendable {
    let process: Process
    let exports: [String: String]

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// `devpay ARGUMENTS` in the background; returns once it has printed its `export` lines.
    static func emulator(_ arguments: [String], folder: URL) throws -> TerminalProcess {
        let outputFile = folder.appendingPathComponent("emulator.out")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = DevPayProcess.executableURL
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The summary is written in one piece; 20 s tolerates a loaded machine.
        for _ in 0..<400 {
            Thread.sleep(forTimeInterval: 0.05)
            let text = try String(contentsOf: outputFile, encoding: .utf8)
            if text.contains("In another shell:\n"), text.hasSuffix("\n") {
                return TerminalProcess(process: process, exports: parseExports(text))
            }
        }
        process.interrupt()
        throw Failed(description: "devpay \(arguments.joined(separator: " ")) printed no export lines")
    }

    private init(process: Process, exports: [String: String]) {
        self.process = process
        self.exports = exports
    }

    /// `export NAME='VALUE'` lines, as `sh` would read them (single quotes, `'\''` for a quote).
    static func parseExports(_ text: String) -> [String: String] {
        var exports: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("export "), let equals = trimmed.firstIndex(of: "=") else { continue }
            let name = String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 7)..<equals])
            let quoted = trimmed[trimmed.index(after: equals)...]
            exports[name] = String(quoted.dropFirst().dropLast()).replacingOccurrences(of: "'\\''", with: "'")
        }
        return exports
    }

    /// Runs `script` with `sh -e` (stop at the first failing line) and returns its status and output.
    static func shell(_ script: String, environment: [String: String], directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-e", "-x", "-c", script]
        process.environment = environment
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("session.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
