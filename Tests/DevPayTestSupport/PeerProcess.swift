import Foundation

/// A test peer run as a child process on 127.0.0.1: a command that listens on a port the OS picks, prints
/// `PORT <n>` as its first line, and exits when its standard input closes.
///
/// ``stop()`` closes that input and waits; if the test process dies first, the kernel closes it, so no peer
/// outlives the tests.
///
/// `@unchecked Sendable`: `Process` and `FileHandle` are not marked `Sendable`; the stored properties are `let`s
/// set before ``launch(_:name:)`` returns, and afterwards only ``stop()`` and `deinit` (each run once) call their
/// methods, which Foundation makes safe from any thread.
public final class PeerProcess: @unchecked Sendable {
    /// The port the peer listens on.
    public let port: Int
    private let name: String
    private let process: Process
    private let input: FileHandle

    /// Starts `command` (found on `PATH`) and waits for its greeting, on a thread of its own.
    /// - Parameter name: How errors refer to the peer.
    public static func launch(_ command: [String], name: String) async throws -> PeerProcess {
        try await offPool { try launchBlocking(command, name: name) }
    }

    private static func launchBlocking(_ command: [String], name: String) throws -> PeerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty {
                throw TestSetupError("\(name) exited before listening (run scripts/install-dependencies?)")
            }
            line += data
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw TestSetupError("unexpected greeting from \(name): \(text)")
        }
        return PeerProcess(port: port, name: name, process: process, input: input.fileHandleForWriting)
    }

    private init(port: Int, name: String, process: Process, input: FileHandle) {
        self.port = port
        self.name = name
        self.process = process
        self.input = input
    }

    /// Closes the peer's input and waits, on a thread of its own, until it has exited.
    public func stop() async {
        _ = try? await offPool { [self] in
            try? input.close()
            process.waitUntilExit()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
