import Foundation

/// A throw-away PKI made with the `openssl` command at test time: a CA, a leaf for 127.0.0.1/localhost signed by
/// it, and an unrelated CA that must not be trusted for that leaf.
struct TestCertificates: Sendable {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var otherCAFile: String { directory.appendingPathComponent("other-ca.pem").path }
    var leafCertificate: String { directory.appendingPathComponent("leaf.pem").path }
    var leafKey: String { directory.appendingPathComponent("leaf-key.pem").path }

    /// Generated once per test process.
    static let shared: Result<TestCertificates, any Error> = Result { try TestCertificates.generate() }

    static func load() throws -> TestCertificates { try shared.get() }

    private static func generate() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("devpay-http-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dir = directory.path
        try openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "\(dir)/ca-key.pem", "-out", "\(dir)/ca.pem", "-days", "2",
                    "-subj", "/CN=DevPayKit Test CA")
        try openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "\(dir)/other-ca-key.pem", "-out", "\(dir)/other-ca.pem", "-days", "2",
                    "-subj", "/CN=Unrelated CA")
        try openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "\(dir)/leaf-key.pem", "-out", "\(dir)/leaf.csr", "-subj", "/CN=localhost")
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
            .write(toFile: "\(dir)/leaf.ext", atomically: true, encoding: .utf8)
        try openssl("x509", "-req", "-in", "\(dir)/leaf.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca-key.pem",
                    "-CAcreateserial", "-out", "\(dir)/leaf.pem", "-days", "2", "-extfile", "\(dir)/leaf.ext")
        return TestCertificates(directory: directory)
    }

    private static func openssl(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("openssl \(arguments.first ?? "") failed with status \(process.terminationStatus)")
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
