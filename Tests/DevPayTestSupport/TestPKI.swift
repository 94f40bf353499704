import Foundation

/// A throw-away PKI for the tests' TLS peers, made once per test process with the `openssl` command and removed
/// when the process exits: a trusted CA, an unrelated CA that must not be trusted, and three leaves signed by
/// the trusted CA.
public struct TestPKI: Sendable {
    /// A certificate and its private key, as PEM files.
    public struct Leaf: Sendable {
        public let certificate: String
        public let key: String
    }

    /// The folder holding every file; tests may put their own throw-away files beside them.
    public let directory: String
    /// The CA the tests trust.
    public var caFile: String { directory + "/ca.pem" }
    /// A CA that signed none of the leaves.
    public var otherCAFile: String { directory + "/other-ca.pem" }
    /// Valid for `127.0.0.1` and `localhost` until 2099.
    public var loopback: Leaf { leaf("loopback") }
    /// Valid, but for `license.example.com` only.
    public var wrongHost: Leaf { leaf("wrong-host") }
    /// For `127.0.0.1` and `localhost`, but its validity ended in 2020.
    public var expired: Leaf { leaf("expired") }

    private func leaf(_ name: String) -> Leaf {
        Leaf(certificate: "\(directory)/\(name).pem", key: "\(directory)/\(name)-key.pem")
    }

    /// The PKI of this test process, generated on first use.
    public static func shared() throws -> TestPKI { try generated.get() }

    private static let generated: Result<TestPKI, any Error> = Result { try generate() }

    private static func generate() throws -> TestPKI {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("devpay-test-pki-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        removeAtExit = dir
        atexit { if let folder = removeAtExit { try? FileManager.default.removeItem(atPath: folder) } }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "\(dir)/ca-key.pem", "-out", "\(dir)/ca.pem", "-days", "2",
                                            "-subj", "/CN=DevPayKit Test CA"])
        try openssl(["req", "-x509"] + ec + ["-keyout", "\(dir)/other-ca-key.pem", "-out", "\(dir)/other-ca.pem",
                                            "-days", "2", "-subj", "/CN=Unrelated CA"])
        // `openssl ca` because it is the CLI's way to set exact validity dates (OpenSSL 3.0's `x509 -req` cannot),
        // which the expired leaf needs.
        try """
        [ca]
        default_ca = tests
        [tests]
        database = \(dir)/index.txt
        new_certs_dir = \(dir)
        serial = \(dir)/serial
        default_md = sha256
        policy = any_name
        unique_subject = no
        [any_name]
        commonName = supplied
        [loopback]
        subjectAltName = IP:127.0.0.1,DNS:localhost
        basicConstraints = CA:FALSE
        [elsewhere]
        subjectAltName = DNS:license.example.com
        basicConstraints = CA:FALSE
        """.write(toFile: "\(dir)/ca.cnf", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(dir)/index.txt", atomically: true, encoding: .utf8)
        try "1000\n".write(toFile: "\(dir)/serial", atomically: true, encoding: .utf8)
        for (name, subject, extensions, start, end) in [
            ("loopback", "localhost", "loopback", "20200101000000Z", "20991231000000Z"),
            ("wrong-host", "license.example.com", "elsewhere", "20200101000000Z", "20991231000000Z"),
            ("expired", "localhost", "loopback", "20200101000000Z", "20200102000000Z"),
        ] {
            try openssl(["req"] + ec + ["-keyout", "\(dir)/\(name)-key.pem", "-out", "\(dir)/\(name).csr",
                                       "-subj", "/CN=\(subject)"])
            try openssl(["ca", "-batch", "-config", "\(dir)/ca.cnf", "-cert", "\(dir)/ca.pem",
                         "-keyfile", "\(dir)/ca-key.pem", "-in", "\(dir)/\(name).csr", "-out", "\(dir)/\(name).pem",
                         "-extensions", extensions, "-startdate", start, "-enddate", end, "-notext"])
        }
        return TestPKI(directory: dir)
    }

    private static func openssl(_ arguments: [String]) throws {
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

/// The folder `atexit` removes; a C callback cannot capture it. Written once, before the callback is registered.
nonisolated(unsafe) private var removeAtExit: String?
