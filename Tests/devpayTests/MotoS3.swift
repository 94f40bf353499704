import Foundation

/// `moto_server` (PyPI `moto[server]`, installed by scripts/install-dependencies): an S3 written by others,
/// on 127.0.0.1 and a port the OS picks, for the `devpay s3` tests.
///
/// `@unchecked Sendable`: `process` is set once in `init` and only terminated by `stop()`, which the owning
/// test calls once after its last request.
final class MotoS3: @unchecked Sendable {
    let url: String
    private let process: Process

    struct Unavailable: Error, CustomStringConvertible { var description: String }

    /// Python binds port 0, prints the port, and serves until its stdin closes.
    private static let launcher = """
        import sys
        from moto.server import ThreadedMotoServer
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        print(server.get_host_and_port()[1], flush=True)
        sys.stdin.read()
        server.stop()
        """

    init() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.launcher]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = Pipe()
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw Unavailable(description: "moto_server did not start; run scripts/install-dependencies")
        }
        self.process = process
        url = "http://127.0.0.1:\(port)"
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }
}
