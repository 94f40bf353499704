import Foundation

/// `moto_server` (PyPI `moto[server]`), an independent S3 written elsewhere, on 127.0.0.1 for one test.
///
/// `@unchecked Sendable`: the `Process` is only touched by `stop()` and `deinit`, which the owning test runs
/// once, after every request; `Process.terminate`/`waitUntilExit` are thread-safe in Foundation.
final class MotoServer: @unchecked Sendable {
    let port: Int
    private let process: Process

    var url: String { "http://127.0.0.1:\(port)" }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the server on a free port and waits (up to 30 s) until it accepts connections.
    static func start() async throws -> MotoServer {
        // Its own thread: waiting for the port must not hold one of the cooperative pool's few threads.
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try startBlocking() }) }.start()
        }
    }

    private static func startBlocking() throws -> MotoServer {
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(port: port, process: process)
        for _ in 0..<300 {
            if canConnect(port: port) { return server }
            guard process.isRunning else { throw Unavailable(description: "moto_server exited; run scripts/install-dependencies") }
            usleep(100_000)
        }
        throw Unavailable(description: "moto_server did not listen on \(port) within 30 s")
    }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Ends the server. Polls rather than `waitUntilExit()`, which waits on a run loop that a Swift concurrency
    /// thread does not spin.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }

    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard bound == 0, withUnsafeMutablePointer(to: &address, {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }) == 0 else { throw Unavailable(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
