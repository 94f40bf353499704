import Foundation

/// A child process started with `posix_spawn`, its standard output on a pipe. Its calls block: the process
/// tests run them on a dedicated thread (``Offload``), not on the cooperative pool.
struct ChildProcess: Sendable {
    let pid: pid_t
    private let output: Int32

    /// The stress helper, built beside the test bundle (`swift build --build-tests` builds it), or the
    /// path in `DEVPAY_STORE_STRESS`.
    static var stressHelperPath: String {
        if let path = ProcessInfo.processInfo.environment["DEVPAY_STORE_STRESS"] { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
            .appendingPathComponent("devpay-store-stress").path
    }

    static func spawn(_ path: String, _ arguments: [String]) -> ChildProcess? {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])

        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(pipeEnds[1])
        guard spawned == 0 else {
            close(pipeEnds[0])
            return nil
        }
        return ChildProcess(pid: pid, output: pipeEnds[0])
    }

    /// Reads one line of standard output, or `nil` at end of file.
    func readLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(output, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// Reads the remaining output as lines, until the child closes it (exits or is killed).
    func remainingLines() -> [String] {
        var lines: [String] = []
        while let line = readLine() { lines.append(line) }
        return lines
    }

    func kill(_ signal: Int32) {
        _ = Glibc.kill(pid, signal)
    }

    /// Waits for the child to end; returns the raw wait status, and closes the pipe.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(output)
        return status
    }
}
