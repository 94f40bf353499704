import Foundation

/// `Tests/Peers/hostile-license-service.py` as a child process on 127.0.0.1, serving one certificate.
///
/// It exits when its standard input closes: ``stop()`` closes it, and if the test process dies the kernel
/// closes it, so no server outlives the tests.
///
/// `@unchecked Sendable`: `Process` and `FileHandle` are not marked `Sendable`; this type only reads its
/// immutable `let`s after `start` returns, and `stop` (called once by the owning test) is the only caller of
/// their methods.
final class HostileLicenseService: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let input: FileHandle

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers/hostile-license-service.py").path

    /// The endpoint for one behaviour of the server, e.g. `https://127.0.0.1:PORT/slowloris/`.
    func endpoint(_ mode: String, host: String = "127.0.0.1") -> String { "https://\(host):\(port)/\(mode)/" }

    /// Starts the server with `leaf`; spawning and reading the greeting run on a thread of their own.
    static func start(leaf: HostilePKI.Leaf) async throws -> HostileLicenseService {
        try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, "--cert", leaf.certificate, "--key", leaf.key]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { throw SetupError("hostile server exited before listening") }
                line += data
            }
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
                throw SetupError("unexpected hostile server greeting: \(text)")
            }
            return HostileLicenseService(port: port, process: process, input: input.fileHandleForWriting)
        }
    }

    private init(port: Int, process: Process, input: FileHandle) {
        self.port = port
        self.process = process
        self.input = input
    }

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
