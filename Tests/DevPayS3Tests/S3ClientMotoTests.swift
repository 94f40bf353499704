import DevPayHTTP
import DevPayRetry
import DevPayS3
import DevPaySigning
import DevPayTestSupport
import Foundation
import Testing

/// The client against moto's S3, an implementation written elsewhere, over real HTTP on loopback: every
/// operation, pagination, streaming both ways, and S3's own error codes. (moto checks no signature unless
/// told to; signatures are proven against the AWS vectors, botocore and the emulator.)
@Suite("S3 client against moto", .serialized)
struct S3ClientMotoTests {
    @Test("buckets and objects round-trip: create, put, list in pages, head, get, stream, delete")
    func roundTrip() async throws {
        try await MotoS3Server.with { moto in
            for version in [S3SignatureVersion.v4, .v2] {
                try await exercise(endpoint: moto.url, signatureVersion: version)
            }
        }
    }

    private func exercise(endpoint: String, signatureVersion: S3SignatureVersion) async throws {
        let transport = CurlHTTPClient(configuration: .init(schemePolicy: .allowPlainHTTP))
        let s3 = S3Client(
            configuration: .init(endpoint: try S3Endpoint(url: endpoint), signatureVersion: signatureVersion),
            transport: transport,
            credentials: .devPay(
                accessKeyID: "AKIDMOTO000000000001", secretAccessKey: "moto/secret",
                userToken: "{UserToken}abc", productToken: "{ProductToken}def"
            )
        )
        let bucket = "devpay-\(signatureVersion == .v4 ? "v4" : "v2")-bucket"
        try await s3.createBucket(bucket)
        #expect(try await s3.listBuckets().map(\.name).contains(bucket))

        let keys = ["a.txt", "dir/b c.txt", "dir/ü+=.txt", "e.txt", "f.txt"]
        for key in keys {
            try await s3.putObject(bucket: bucket, key: key, bytes: Array("body of \(key)".utf8), contentType: "text/plain")
        }
        var listed: [String] = []
        var pages = 0
        for try await page in s3.allObjects(bucket: bucket, pageSize: 2) {
            listed += page.objects.map(\.key)
            pages += 1
        }
        #expect(listed.sorted() == keys.sorted())
        #expect(pages == 3)
        let folders = try await s3.listObjects(bucket: bucket, delimiter: "/")
        #expect(folders.commonPrefixes == ["dir/"])

        #expect(try await s3.getObject(bucket: bucket, key: "dir/ü+=.txt") == Array("body of dir/ü+=.txt".utf8))
        let info = try await s3.headObject(bucket: bucket, key: "a.txt")
        #expect(info.contentLength == Int64("body of a.txt".utf8.count))

        // Streaming both ways: a 3 MiB file up, then down into another file.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("s3-moto-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(big).write(to: URL(fileURLWithPath: folder + "/up.bin"))
        try await s3.putObject(bucket: bucket, key: "big.bin", fileAt: folder + "/up.bin")
        try await s3.downloadObject(bucket: bucket, key: "big.bin", toFileAt: folder + "/down.bin")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/down.bin")) == Data(big))

        try await s3.deleteObject(bucket: bucket, key: "a.txt")
        await #expect(throws: S3ServiceError.self) { _ = try await s3.getObject(bucket: bucket, key: "a.txt") }
        do {
            _ = try await s3.getObject(bucket: bucket, key: "a.txt")
        } catch let error as S3ServiceError {
            #expect(error.status == 404)
            #expect(error.code == "NoSuchKey")
        }

        await #expect(throws: S3ServiceError.self) { try await s3.deleteBucket(bucket) }
        do {
            try await s3.deleteBucket(bucket)
        } catch let error as S3ServiceError {
            #expect(error.status == 409)
            #expect(error.code == "BucketNotEmpty")
        }
        for try await page in s3.allObjects(bucket: bucket) {
            for object in page.objects { try await s3.deleteObject(bucket: bucket, key: object.key) }
        }
        try await s3.deleteBucket(bucket)
        #expect(!(try await s3.listBuckets().map(\.name).contains(bucket)))
    }
}
