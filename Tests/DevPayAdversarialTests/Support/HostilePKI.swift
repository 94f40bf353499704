import Foundation

/// The certificates the hostile-server tests need, made with the `openssl` command at test time (the same
/// approach as DevPayHTTPTests' `TestCertificates`, which a test target cannot import): a trusted CA, an
/// unrelated CA, and three leaves signed by the trusted CA — a good one for 127.0.0.1, one for another host
/// name, and one whose validity ended in 2020.
struct HostilePKI: Sendable {
    let directory: String
    var caFile: String { directory + "/ca.pem" }
    var otherCAFile: String { directory + "/other-ca.pem" }
    var goodLeaf: Leaf { Leaf(certificate: directory + "/good.pem", key: directory + "/good-key.pem") }
    var wrongHostLeaf: Leaf { Leaf(certificate: directory + "/wrong-host.pem", key: directory + "/wrong-host-key.pem") }
    var expiredLeaf: Leaf { Leaf(certificate: directory + "/expired.pem", key: directory + "/expired-key.pem") }

    struct Leaf: Sendable {
        let certificate: String
        let key: String
    }

    /// Generated once per test process.
    static let shared: Result<HostilePKI, any Error> = Result { try HostilePKI.generate() }

    static func load() throws -> HostilePKI { try shared.get() }

    private static func generate() throws -> HostilePKI {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("devpay-adversarial-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + ["-keyout", "\(dir)/ca-key.pem", "-out", "\(dir)/ca.pem", "-days", "2",
                                            "-subj", "/CN=DevPayKit Adversarial CA"])
        try openssl(["req", "-x509"] + ec + ["-keyout", "\(dir)/other-ca-key.pem", "-out", "\(dir)/other-ca.pem",
                                            "-days", "2", "-subj", "/CN=Unrelated CA"])
        // `openssl ca` is the CLI's way to choose exact validity dates (OpenSSL 3.0's `x509 -req` cannot).
        try """
        [ca]
        default_ca = adversarial
        [adversarial]
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
            ("good", "localhost", "loopback", "20200101000000Z", "20991231000000Z"),
            ("wrong-host", "license.example.com", "elsewhere", "20200101000000Z", "20991231000000Z"),
            ("expired", "localhost", "loopback", "20200101000000Z", "20200102000000Z"),
        ] {
            try openssl(["req"] + ec + ["-keyout", "\(dir)/\(name)-key.pem", "-out", "\(dir)/\(name).csr",
                                       "-subj", "/CN=\(subject)"])
            try openssl(["ca", "-batch", "-config", "\(dir)/ca.cnf", "-cert", "\(dir)/ca.pem",
                         "-keyfile", "\(dir)/ca-key.pem", "-in", "\(dir)/\(name).csr", "-out", "\(dir)/\(name).pem",
                         "-extensions", extensions, "-startdate", start, "-enddate", end, "-notext"])
        }
        return HostilePKI(directory: dir)
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
            throw SetupError("openssl \(arguments.first ?? "") failed with status \(process.terminationStatus)")
        }
    }
}

struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
