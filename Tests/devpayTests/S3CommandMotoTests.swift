import DevPayTestSupport
import Foundation
import Testing

/// `devpay s3` with explicit credentials against moto, an S3-compatible server written elsewhere, over
/// plain HTTP on loopback (`--allow-http`), for both signature versions.
@Suite("devpay s3 against moto", .serialized)
struct S3CommandMotoTests {
    static let secret = "motoSecretKeyThatMustNeverBePrinted0001"

    func devpay(_ server: MotoS3Server, _ arguments: [String], signature: String) async throws -> DevPayProcess.Result {
        try await DevPayProcess.run(
            ["s3"] + arguments + ["--endpoint", server.url, "--allow-http", "--signature-version", signature,
                                  "--access-key-id", "AKIDMOTOEXAMPLE", "--log-level", "trace"],
            environment: ["AWS_SECRET_ACCESS_KEY": Self.secret])
    }

    @Test("mb, put, ls, get and rm round-trip a file through moto", arguments: ["4", "2"])
    func roundTrip(signature: String) async throws {
        try await MotoS3Server.with { server in try await exerciseRoundTrip(server, signature: signature) }
    }

    private func exerciseRoundTrip(_ server: MotoS3Server, signature: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("devpay-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.bin")
        let payload = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try payload.write(to: source)
        let bucket = "devpay-cli-v\(signature)"

        let made = try await devpay(server, ["mb", bucket, "--json"], signature: signature)
        #expect(made.status == 0, "\(made.standardError)")
        let put = try await devpay(server, ["put", source.path, bucket, "dir/object.bin", "--json"], signature: signature)
        #expect(put.status == 0, "\(put.standardError)")
        // Progress lines first, the result last.
        let resultLine = put.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        let uploaded = try JSONSerialization.jsonObject(with: Data(resultLine.utf8)) as? [String: Any]
        #expect(uploaded?["type"] as? String == "result")
        #expect(uploaded?["bytes"] as? Int == payload.count)
        #expect(put.standardError.contains("uploaded 293.0 KiB to s3://\(bucket)/dir/object.bin"))

        let listed = try await devpay(server, ["ls", bucket, "--json"], signature: signature)
        #expect(listed.status == 0, "\(listed.standardError)")
        let listing = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [String: Any]
        let objects = listing?["objects"] as? [[String: Any]]
        #expect(objects?.map { $0["key"] as? String } == ["dir/object.bin"])
        #expect(objects?.first?["size"] as? Int == payload.count)

        let buckets = try await devpay(server, ["ls"], signature: signature)
        #expect(buckets.standardOutput.contains(bucket))

        let target = folder.appendingPathComponent("copy.bin")
        let got = try await devpay(server, ["get", bucket, "dir/object.bin", target.path], signature: signature)
        #expect(got.status == 0, "\(got.standardError)")
        #expect(try Data(contentsOf: target) == payload)

        let removed = try await devpay(server, ["rm", bucket, "dir/object.bin"], signature: signature)
        #expect(removed.status == 0)
        let empty = try await devpay(server, ["ls", bucket, "--json"], signature: signature)
        #expect((try JSONSerialization.jsonObject(with: Data(empty.standardOutput.utf8)) as? [String: Any])?["objects"]
            as? [Any] != nil)
        #expect(!empty.standardOutput.contains("object.bin"))
        let droppedBucket = try await devpay(server, ["rb", bucket, "--json"], signature: signature)
        #expect(droppedBucket.status == 0, "\(droppedBucket.standardError)")
        #expect(droppedBucket.standardOutput.contains("\"deleted\":true"))
        let bucketsAfter = try await devpay(server, ["ls"], signature: signature)
        #expect(!bucketsAfter.standardOutput.contains(bucket))

        for result in [made, put, listed, buckets, got, removed, empty, droppedBucket, bucketsAfter] {
            #expect(!(result.standardOutput + result.standardError).contains(Self.secret))
        }
    }

    @Test("a plain-HTTP endpoint is refused without --allow-http, as a usage error")
    func plainHTTPNeedsOptIn() async throws {
        let result = try await DevPayProcess.run(
            ["s3", "ls", "--endpoint", "http://127.0.0.1:9", "--access-key-id", "A", "--secret-access-key", "B"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--allow-http"))
    }

    @Test("an endpoint nobody listens on is a network failure (exit 69)")
    func connectionRefusedIsNetworkFailure() async throws {
        let result = try await DevPayProcess.run(
            ["s3", "ls", "--endpoint", "http://127.0.0.1:9", "--allow-http", "--access-key-id", "A"],
            environment: ["AWS_SECRET_ACCESS_KEY": "B"])
        #expect(result.status == 69, "\(result.standardError)")
    }
}
