import Foundation

/// `Tests/Peers/license-service-stub.py` as a child process: a scripted License Service over HTTPS on
/// 127.0.0.1, with a certificate from a CA made by the `openssl` command for this test run.
///
/// It exits when its standard input closes: ``stop()`` closes it, and if the test process dies the kernel
/// does, so no stub outlives the tests.
///
/// `@unchecked Sendable`: `Process` and `FileHandle` are not marked `Sendable`; this type's stored
/// properties are `let`s set before `start` returns, and only ``stop()`` (called once by the owning test)
/// uses the process and the pipe afterwards.
final class LicenseServiceStub: @unchecked Sendable {
    struct Step: Encodable {
        var status: Int
        var headers: [String: String] = [:]
        var body: String = ""
    }

    struct ReceivedRequest: Decodable {
        var path: String
        var params: [String: String]
    }

    let port: Int
    private let process: Process
    private let input: FileHandle

    var endpoint: String { "https://127.0.0.1:\(port)/" }

    private static let peer = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers/license-service-stub.py").path

    /// Starts a stub that answers `steps` in order and checks SigV1 with `secrets` (Access Key ID → secret).
    static func start(steps: [Step], secrets: [String: String] = [:]) async throws -> LicenseServiceStub {
        struct Script: Encodable { var secrets: [String: String]; var steps: [Step] }
        let certificates = try TestCertificateAuthority.shared.get()
        let scriptFile = certificates.directory.appendingPathComponent("script-\(UUID().uuidString).json")
        try JSONEncoder().encode(Script(secrets: secrets, steps: steps)).write(to: scriptFile)
        // Spawning and reading the greeting block: keep them off Swift's cooperative pool.
        return try await onOwnThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", peer, "--cert", certificates.leafCertificate, "--key", certificates.leafKey,
                                 "--script", scriptFile.path]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var greeting = Data()
            while !greeting.contains(UInt8(ascii: "\n")) {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { throw StubError("license-service-stub.py exited before listening") }
                greeting += data
            }
            let text = String(decoding: greeting, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
                throw StubError("unexpected greeting from license-service-stub.py: \(text)")
            }
            return LicenseServiceStub(port: port, process: process, input: input.fileHandleForWriting)
        }
    }

    private init(port: Int, process: Process, input: FileHandle) {
        self.port = port
        self.process = process
        self.input = input
    }

    /// The requests the stub received, in order, with their query parameters decoded by Python.
    func receivedRequests() async throws -> [ReceivedRequest] {
        let certificates = try TestCertificateAuthority.shared.get()
        let data = try await onOwnThread { [port] in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["curl", "-sS", "--cacert", certificates.caFile, "https://127.0.0.1:\(port)/__requests"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return try JSONDecoder().decode([ReceivedRequest].self, from: data)
    }

    /// Stops the stub and waits for it to exit.
    func stop() async {
        _ = try? await onOwnThread { [self] in
            try? input.close()
            process.waitUntilExit()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// A throw-away CA and a leaf certificate for 127.0.0.1, made once per test run with the `openssl` command.
struct TestCertificateAuthority: Sendable {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var leafCertificate: String { directory.appendingPathComponent("leaf.pem").path }
    var leafKey: String { directory.appendingPathComponent("leaf-key.pem").path }

    static let shared: Result<TestCertificateAuthority, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("devpay-license-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dir = directory.path
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "\(dir)/ca-key.pem", "-out", "\(dir)/ca.pem", "-days", "2",
                                             "-subj", "/CN=DevPayKit License Service Test CA"])
        try openssl(["req"] + ec + ["-keyout", "\(dir)/leaf-key.pem", "-out", "\(dir)/leaf.csr", "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n".write(toFile: "\(dir)/leaf.ext", atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", "\(dir)/leaf.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca-key.pem",
                     "-CAcreateserial", "-out", "\(dir)/leaf.pem", "-days", "2", "-extfile", "\(dir)/leaf.ext"])
        return TestCertificateAuthority(directory: directory)
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw StubError("openssl \(arguments[0]) failed") }
    }
}

struct StubError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking test plumbing on a thread of its own and resumes the caller when it is done.
func onOwnThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}
