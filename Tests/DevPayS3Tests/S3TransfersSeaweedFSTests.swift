import DevPayHTTP
import DevPayS3
import DevPaySigning
import DevPayTestSupport
import Foundation
import Testing

/// ``S3Transfers`` against SeaweedFS, an S3 engine written elsewhere that checks signatures and `Content-MD5`:
/// multipart uploads with parallel parts, resumes after an interruption, aborts, ranged and resumed downloads,
/// a changed object, a damaged part. Objects are a few MiB over a 5 MiB part size so the suite stays small.
@Suite("S3 transfers against SeaweedFS", .serialized)
struct S3TransfersSeaweedFSTests {
    static let options = S3TransferOptions(multipartThreshold: 5 << 20, preferredPartSize: 5 << 20, maximumPartsInFlight: 3)
    static let objectSize = (17 << 20) + 12_345  // 4 parts: 5 + 5 + 5 + 2 MiB and a bit

    /// The interrupted runs go one part at a time, so the parts before the break finish (in parallel, the
    /// break would cancel them midway too).
    static let oneAtATime = S3TransferOptions(multipartThreshold: 5 << 20, preferredPartSize: 5 << 20, maximumPartsInFlight: 1)

    func transfers(_ client: S3Client, manifests scratch: TransferScratch, options: S3TransferOptions = Self.options) -> S3Transfers {
        S3Transfers(client: client, options: options, manifestFolder: scratch.path("manifests"))
    }

    @Test("a multipart upload in parallel parts, then a parallel ranged download, byte-identical, SigV4 and SigV2")
    func multipartRoundTrip() async throws {
        let scratch = try TransferScratch()
        defer { scratch.remove() }
        let source = try scratch.file("source.bin", size: Self.objectSize, seed: 1)
        try await withSeaweedFS(bucket: "transfers") { server in
            for version in [S3SignatureVersion.v4, .v2] {
                let client = seaweedClient(server, signatureVersion: version)
                let location = S3ObjectLocation(bucket: "transfers", key: "big/\(version).bin")
                let upload = transfers(client, manifests: scratch).upload(file: source, to: location)
                var reports: [S3TransferProgress] = []
                for await report in upload.progress { reports.append(report) }
                let uploaded = try await upload.result
                #expect(uploaded.parts == 4)
                #expect(uploaded.verified)
                #expect(uploaded.eTag?.hasSuffix("-4") == true)
                #expect(reports.last?.bytesTransferred == Int64(Self.objectSize))
                #expect(reports.last?.partsCompleted == 4)

                let target = scratch.path("back-\(version).bin")
                let downloaded = try await transfers(client, manifests: scratch).download(location, to: target).result
                #expect(downloaded.parts == 4)
                #expect(downloaded.verified, "range MD5s add up to the multipart entity tag")
                #expect(FileManager.default.contentsEqual(atPath: source, andPath: target))
                #expect(try await client.listMultipartUploads(bucket: "transfers").isEmpty)
                let manifestsLeft = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path("manifests"))) ?? []
                #expect(manifestsLeft.isEmpty, "a finished transfer forgets its manifest")
            }
            // Below the threshold: one PUT and one GET, each checked against the plain MD5 entity tag.
            let small = try scratch.file("small.bin", size: 300_000, seed: 2)
            let client = seaweedClient(server)
            let location = S3ObjectLocation(bucket: "transfers", key: "small.bin")
            let put = try await transfers(client, manifests: scratch).upload(file: small, to: location).result
            #expect(put.parts == 1 && put.verified)
            let got = try await transfers(client, manifests: scratch).download(location, to: scratch.path("small-back.bin")).result
            #expect(got.parts == 1 && got.verified)
            #expect(FileManager.default.contentsEqual(atPath: small, andPath: scratch.path("small-back.bin")))
            // Copy inside S3.
            try await client.copyObject(bucket: "transfers", key: "copy.bin", sourceBucket: "transfers", sourceKey: "small.bin")
            #expect(try await client.headObject(bucket: "transfers", key: "copy.bin").contentLength == 300_000)
        }
    }

    @Test("an upload interrupted after two parts resumes from the parts S3 holds; the object is byte-identical")
    func resumedUpload() async throws {
        let scratch = try TransferScratch()
        defer { scratch.remove() }
        let source = try scratch.file("source.bin", size: Self.objectSize, seed: 3)
        try await withSeaweedFS(bucket: "resume") { server in
            let location = S3ObjectLocation(bucket: "resume", key: "object.bin")
            let broken = InterruptingTransport(base: CurlHTTPClient(configuration: .init(schemePolicy: .allowPlainHTTP)), allowed: 2)
            let first = transfers(seaweedClient(server, transport: broken), manifests: scratch, options: Self.oneAtATime).upload(file: source, to: location)
            await #expect(throws: InterruptingTransport.Interrupted.self) { try await first.result }
            let client = seaweedClient(server)
            #expect(try await client.listMultipartUploads(bucket: "resume").count == 1, "the upload stays for a resume")

            let second = try await transfers(client, manifests: scratch).upload(file: source, to: location).result
            #expect(second.partsResumed == 2)
            #expect(second.verified)
            let target = scratch.path("back.bin")
            _ = try await transfers(client, manifests: scratch).download(location, to: target).result
            #expect(FileManager.default.contentsEqual(atPath: source, andPath: target))
            #expect(try await client.listMultipartUploads(bucket: "resume").isEmpty)
        }
    }

    @Test("aborting an interrupted upload, or cleaning up stale ones, leaves no upload, part or manifest behind")
    func abortLeavesNothing() async throws {
        let scratch = try TransferScratch()
        defer { scratch.remove() }
        let source = try scratch.file("source.bin", size: Self.objectSize, seed: 4)
        try await withSeaweedFS(bucket: "aborts") { server in
            let location = S3ObjectLocation(bucket: "aborts", key: "object.bin")
            let broken = InterruptingTransport(base: CurlHTTPClient(configuration: .init(schemePolicy: .allowPlainHTTP)), allowed: 1)
            _ = try? await transfers(seaweedClient(server, transport: broken), manifests: scratch, options: Self.oneAtATime).upload(file: source, to: location).result
            let client = seaweedClient(server)
            let pending = try await client.listMultipartUploads(bucket: "aborts")
            try #require(pending.count == 1)
            #expect(try await client.listParts(bucket: "aborts", key: "object.bin", uploadID: pending[0].uploadID).count == 1)

            #expect(try await transfers(client, manifests: scratch).abortUpload(file: source, to: location))
            #expect(try await client.listMultipartUploads(bucket: "aborts").isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path("manifests")).isEmpty)
            await #expect(throws: S3ServiceError.self) { try await client.headObject(bucket: "aborts", key: "object.bin") }

            // A forgotten upload (another app's crash) is found and aborted by the stale-upload cleanup.
            let forgotten = try await client.createMultipartUpload(bucket: "aborts", key: "forgotten.bin")
            _ = try await client.uploadPart(bucket: "aborts", key: "forgotten.bin", uploadID: forgotten, partNumber: 1, bytes: Array(repeating: 7, count: 1000))
            let cleaned = try await transfers(client, manifests: scratch).abortStaleUploads(
                bucket: "aborts", startedBefore: Date().addingTimeInterval(3600))
            #expect(cleaned.map(\.uploadID) == [forgotten])
            #expect(try await client.listMultipartUploads(bucket: "aborts").isEmpty)
        }
    }

    @Test("a download interrupted midway resumes byte-identical; a changed object restarts it")
    func resumedAndChangedDownloads() async throws {
        let scratch = try TransferScratch()
        defer { scratch.remove() }
        let original = try scratch.file("original.bin", size: Self.objectSize, seed: 5)
        let changed = try scratch.file("changed.bin", size: Self.objectSize, seed: 6)
        try await withSeaweedFS(bucket: "downloads") { server in
            let client = seaweedClient(server)
            let location = S3ObjectLocation(bucket: "downloads", key: "object.bin")
            _ = try await transfers(client, manifests: scratch).upload(file: original, to: location).result
            let target = scratch.path("target.bin")
            let broken = InterruptingTransport(base: CurlHTTPClient(configuration: .init(schemePolicy: .allowPlainHTTP)), allowed: 2)

            // Interrupted after two ranges: the file is not there yet, the partial file and manifest are.
            _ = try? await transfers(seaweedClient(server, transport: broken), manifests: scratch, options: Self.oneAtATime).download(location, to: target).result
            #expect(!FileManager.default.fileExists(atPath: target))
            let resumed = try await transfers(client, manifests: scratch).download(location, to: target).result
            #expect(resumed.partsResumed == 2)
            #expect(resumed.verified)
            #expect(FileManager.default.contentsEqual(atPath: original, andPath: target))

            // Interrupted again, then the object changes: the resume notices and starts over.
            let again = scratch.path("again.bin")
            let brokenAgain = InterruptingTransport(base: CurlHTTPClient(configuration: .init(schemePolicy: .allowPlainHTTP)), allowed: 2)
            _ = try? await transfers(seaweedClient(server, transport: brokenAgain), manifests: scratch, options: Self.oneAtATime).download(location, to: again).result
            _ = try await transfers(client, manifests: scratch).upload(file: changed, to: location).result
            let restarted = try await transfers(client, manifests: scratch).download(location, to: again).result
            #expect(restarted.restartedBecauseObjectChanged)
            #expect(restarted.partsResumed == 0)
            #expect(FileManager.default.contentsEqual(atPath: changed, andPath: again))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.folder.path).filter { $0.contains(".devpay-partial-") }
            #expect(leftovers.isEmpty, "the stale partial file was removed")
        }
    }

    @Test("a part whose bytes do not match its Content-MD5 is refused (BadDigest), and nothing is completed")
    func corruptedPartRefused() async throws {
        try await withSeaweedFS(bucket: "digests") { server in
            let client = seaweedClient(server)
            let uploadID = try await client.createMultipartUpload(bucket: "digests", key: "object.bin")
            let bytes = [UInt8](repeating: 0x41, count: 64 << 10)
            var damaged = bytes
            damaged[1000] ^= 0xFF
            await #expect {
                try await client.uploadPart(bucket: "digests", key: "object.bin", uploadID: uploadID, partNumber: 1,
                                            bytes: damaged, contentMD5: MD5.digest(bytes))
            } throws: { error in
                (error as? S3ServiceError)?.code == "BadDigest" || (error as? S3ServiceError)?.code == "InvalidDigest"
            }
            #expect(try await client.listParts(bucket: "digests", key: "object.bin", uploadID: uploadID).isEmpty)
            try await client.abortMultipartUpload(bucket: "digests", key: "object.bin", uploadID: uploadID)
        }
    }
}
