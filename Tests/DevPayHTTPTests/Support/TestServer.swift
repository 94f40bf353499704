import Foundation

/// `scripts/http-test-server.py` run as a child process on 127.0.0.1, HTTPS with the test CA or plain HTTP.
///
/// It exits when its standard input closes: ``stop()`` closes it and waits, and if the test process dies the
/// kernel closes it, so no server outlives the tests.
///
/// `@unchecked Sendable`: `Process` and `FileHandle` are not marked `Sendable`, but this type only ever reads its
/// immutable `let`s after `start` returns, and `stop` (run once, by the owning test) is the only caller of their
/// methods; Foundation's `Process` is itself thread-safe for `waitUntilExit`/`terminate`.
final class TestServer: @unchecked Sendable {
    let port: Int
    let scheme: String
    private let process: Process
    private let input: FileHandle

    var authority: String { "127.0.0.1:\(port)" }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/http-test-server.py").path

    /// Starts a server; `tls` false serves plain HTTP. The blocking parts (spawning, reading the greeting) run on a
    /// thread of their own, so parallel tests never starve Swift's cooperative pool.
    static func start(tls: Bool = true) async throws -> TestServer {
        try await offPool { try startBlocking(tls: tls) }
    }

    private static func startBlocking(tls: Bool) throws -> TestServer {
        var arguments = [script]
        if tls {
            let certificates = try TestCertificates.load()
            arguments += ["--cert", certificates.leafCertificate, "--key", certificates.leafKey]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is "PORT <n>"; the server writes it as soon as it listens (well under a second).
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw TestSetupError("test server exited before listening") }
            line += data
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            throw TestSetupError("unexpected test server greeting: \(text)")
        }
        return TestServer(port: port, scheme: tls ? "https" : "http", process: process, input: input.fileHandleForWriting)
    }

    private init(port: Int, scheme: String, process: Process, input: FileHandle) {
        self.port = port
        self.scheme = scheme
        self.process = process
        self.input = input
    }

    /// Stops the server and waits for it to exit (on a thread of its own).
    func stop() async {
        _ = try? await offPool { [self] in
            try? input.close()
            process.waitUntilExit()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// Runs blocking test plumbing on a fresh thread and resumes the caller when it is done.
func offPool<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}
