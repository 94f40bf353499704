import DevPaySigning
import Foundation

extension S3Transfers {
    /// Stops the resumable upload of `path` to `location`, if one is pending: S3 frees its parts and the
    /// manifest goes. Returns whether there was one.
    @discardableResult
    public func abortUpload(file path: String, to location: S3ObjectLocation) async throws -> Bool {
        let name = manifests.name(kind: "upload", bucket: location.bucket, key: location.key, localPath: path)
        guard let manifest = manifests.load(S3UploadManifest.self, name: name) else { return false }
        try await client.abortMultipartUpload(bucket: manifest.bucket, key: manifest.key, uploadID: manifest.uploadID)
        manifests.remove(name: name)
        return true
    }

    /// Aborts the multipart uploads in `bucket` (under `prefix`) started before `date`, whoever started them
    /// (an app that crashed, an older version), and forgets their manifests. Returns what was aborted.
    ///
    /// S3 keeps and bills the parts of an upload never completed nor aborted; run this now and then (or set
    /// a bucket lifecycle rule) with a date old enough that no upload still running is caught.
    @discardableResult
    public func abortStaleUploads(bucket: String, prefix: String? = nil, startedBefore date: Date) async throws
        -> [S3MultipartUploadSummary]
    {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        let stale = try await client.listMultipartUploads(bucket: bucket, prefix: prefix).filter { upload in
            guard let started = formatter.date(from: upload.initiated) ?? plain.date(from: upload.initiated) else { return false }
            return started < date
        }
        let staleIDs = Set(stale.map(\.uploadID))
        for upload in stale {
            try await client.abortMultipartUpload(bucket: bucket, key: upload.key, uploadID: upload.uploadID)
        }
        for (name, manifest) in manifests.uploadManifests() where staleIDs.contains(manifest.uploadID) {
            manifests.remove(name: name)
        }
        return stale
    }

    func runUpload(
        file path: String, to location: S3ObjectLocation, contentType: String?, tracker: S3TransferProgressTracker
    ) async throws -> S3TransferResult {
        let facts = try Self.fileFacts(path)
        guard facts.size <= S3TransferOptions.maximumObjectSize else { throw S3TransferError.objectTooLarge(size: facts.size) }
        if facts.size <= options.multipartThreshold {
            return try await uploadInOneRequest(path, facts: facts, to: location, contentType: contentType, tracker: tracker)
        }
        let name = manifests.name(kind: "upload", bucket: location.bucket, key: location.key, localPath: path)
        var manifest: S3UploadManifest?
        var existing: [Int: S3UploadedPart] = [:]
        if let earlier = manifests.load(S3UploadManifest.self, name: name) {
            if earlier.fileSize == facts.size, earlier.fileModified == facts.modified {
                do {
                    let parts = try await client.listParts(bucket: location.bucket, key: location.key, uploadID: earlier.uploadID)
                    existing = Dictionary(parts.map { ($0.partNumber, $0) }, uniquingKeysWith: { first, _ in first })
                    manifest = earlier
                } catch let error as S3ServiceError where error.code == "NoSuchUpload" {
                    manifests.remove(name: name)  // completed or aborted meanwhile: start again
                }
            } else {
                // The file changed since: its parts are worthless.
                try? await client.abortMultipartUpload(bucket: earlier.bucket, key: earlier.key, uploadID: earlier.uploadID)
                manifests.remove(name: name)
            }
        }
        if manifest == nil {
            let uploadID = try await client.createMultipartUpload(bucket: location.bucket, key: location.key, contentType: contentType)
            let created = S3UploadManifest(
                bucket: location.bucket, key: location.key, filePath: path, fileSize: facts.size,
                fileModified: facts.modified, partSize: options.partSize(forObjectOf: facts.size), uploadID: uploadID)
            try await BlockingFileWork.run { [manifests] in try manifests.save(created, name: name) }
            manifest = created
        }
        guard let manifest else { preconditionFailure("a manifest was loaded or created above") }
        let layout = S3PartLayout(objectSize: facts.size, partSize: manifest.partSize)
        tracker.begin(totalBytes: facts.size, totalParts: layout.partCount)

        // Every part is hashed (a resumed one too: its entity tag must match the file as it is now) and sent
        // unless S3 already holds exactly it; at most `maximumPartsInFlight` at a time.
        var uploaded: [Int: (eTag: String, digest: [UInt8])] = [:]
        var resumed = 0
        try await withThrowingTaskGroup(of: (Int, String, [UInt8], Bool).self) { group in
            var next = 1
            func addPart() {
                let number = next
                next += 1
                let range = layout.range(ofPart: number)
                let held = existing[number]
                group.addTask {
                    let digest = try await BlockingFileWork.md5(ofFileAt: path, range: range)
                    if let held, held.size == Int64(range.count), held.eTag.lowercased() == MD5.hex(digest) {
                        tracker.reused(bytes: Int64(range.count))
                        return (number, held.eTag, digest, true)
                    }
                    let eTag = try await client.uploadPart(
                        bucket: location.bucket, key: location.key, uploadID: manifest.uploadID, partNumber: number,
                        fileAt: path, range: range, contentMD5: digest, progress: tracker.handler(part: number))
                    tracker.finished(part: number, bytes: Int64(range.count))
                    return (number, eTag, digest, false)
                }
            }
            while next <= min(layout.partCount, options.maximumPartsInFlight) { addPart() }
            while let (number, eTag, digest, reused) = try await group.next() {
                uploaded[number] = (eTag, digest)
                if reused { resumed += 1 }
                if next <= layout.partCount { addPart() }
            }
        }
        guard try Self.fileFacts(path) == facts else { throw S3TransferError.fileChanged(path: path) }
        let parts = (1...layout.partCount).map { S3UploadedPart(partNumber: $0, eTag: uploaded[$0]!.eTag) }
        let eTag = try await client.completeMultipartUpload(
            bucket: location.bucket, key: location.key, uploadID: manifest.uploadID, parts: parts)
        manifests.remove(name: name)
        let expected = MD5.multipartETag(partDigests: (1...layout.partCount).map { uploaded[$0]!.digest })
        let verified = eTag.map { $0.lowercased() == expected } ?? false
        if let eTag, Self.isMultipartMD5(eTag), !verified {
            throw S3TransferError.checksumMismatch(expected: eTag, actual: expected)
        }
        return S3TransferResult(
            location: location, path: path, bytes: facts.size, eTag: eTag, parts: layout.partCount,
            partsResumed: resumed, verified: verified, restartedBecauseObjectChanged: false)
    }

    /// One `PUT`, streamed from the file; its MD5 is computed on another thread at the same time and compared
    /// with the entity tag S3 answers (a damaged object is reported, not silently kept).
    private func uploadInOneRequest(
        _ path: String, facts: FileFacts, to location: S3ObjectLocation, contentType: String?,
        tracker: S3TransferProgressTracker
    ) async throws -> S3TransferResult {
        tracker.begin(totalBytes: facts.size, totalParts: 1)
        async let digest = BlockingFileWork.md5(ofFileAt: path, range: 0..<facts.size)
        let eTag = try await client.putObject(
            bucket: location.bucket, key: location.key, fileAt: path, contentType: contentType,
            progress: tracker.handler(part: 1))
        let actual = MD5.hex(try await digest)
        tracker.finished(part: 1, bytes: facts.size)
        guard try Self.fileFacts(path) == facts else { throw S3TransferError.fileChanged(path: path) }
        let verified = eTag?.lowercased() == actual
        if let eTag, Self.isPlainMD5(eTag), !verified { throw S3TransferError.checksumMismatch(expected: eTag, actual: actual) }
        return S3TransferResult(
            location: location, path: path, bytes: facts.size, eTag: eTag, parts: 1, partsResumed: 0,
            verified: verified, restartedBecauseObjectChanged: false)
    }

    struct FileFacts: Equatable {
        var size: Int64
        var modified: Int64
    }

    static func fileFacts(_ path: String) throws -> FileFacts {
        var status = stat()
        guard stat(path, &status) == 0 else { throw S3ClientError.file(path: path, errno: errno) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw S3ClientError.file(path: path, errno: EINVAL) }
        return FileFacts(size: Int64(status.st_size), modified: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
    }

    static func isPlainMD5(_ eTag: String) -> Bool { eTag.count == 32 && eTag.allSatisfy(\.isHexDigit) }

    static func isMultipartMD5(_ eTag: String) -> Bool {
        guard let dash = eTag.firstIndex(of: "-") else { return false }
        return isPlainMD5(String(eTag[..<dash])) && Int(eTag[eTag.index(after: dash)...]) != nil
    }
}
