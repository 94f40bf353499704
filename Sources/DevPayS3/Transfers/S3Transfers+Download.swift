import DevPaySigning
import Foundation

extension S3Transfers {
    func runDownload(_ location: S3ObjectLocation, to path: String, tracker: S3TransferProgressTracker) async throws
        -> S3TransferResult
    {
        let info = try await client.headObject(bucket: location.bucket, key: location.key)
        guard let size = info.contentLength, let eTag = info.eTag else {
            throw S3ClientError.malformedResponse("HeadObject answered without Content-Length or ETag")
        }
        let name = manifests.name(kind: "download", bucket: location.bucket, key: location.key, localPath: path)
        var restarted = false
        var resumedFile: S3DownloadFile?
        var manifest: S3DownloadManifest?
        if let earlier = manifests.load(S3DownloadManifest.self, name: name) {
            let reopened = S3DownloadFile.reopen(temporaryPath: earlier.temporaryPath, finalPath: path)
            if earlier.eTag == eTag, earlier.size == size, let reopened {
                resumedFile = reopened.0
                manifest = earlier
            } else {
                restarted = earlier.eTag != eTag || earlier.size != size
                // Only a file this download made (beside the destination, with our suffix) is ever deleted.
                if let reopened, earlier.temporaryPath.hasPrefix(path + ".devpay-partial-") { reopened.0.discard() }
                manifests.remove(name: name)
            }
        }
        let file = try resumedFile ?? S3DownloadFile(finalPath: path)
        let rangeSize = manifest?.rangeSize ?? (size <= options.multipartThreshold ? max(size, 1) : options.partSize(forObjectOf: size))
        var record = manifest ?? S3DownloadManifest(
            bucket: location.bucket, key: location.key, eTag: eTag, size: size, rangeSize: rangeSize,
            temporaryPath: file.temporaryPath, completedRanges: [:])
        do {
            if manifest == nil, size > 0 {
                let first = record
                try await BlockingFileWork.run { [manifests] in try manifests.save(first, name: name) }
            }
            let layout = S3PartLayout(objectSize: size, partSize: rangeSize)
            tracker.begin(totalBytes: size, totalParts: layout.partCount)
            for index in record.completedRanges.keys { tracker.reused(bytes: Int64(layout.range(ofPart: index + 1).count)) }
            let resumed = record.completedRanges.count
            let missing = (0..<layout.partCount).filter { record.completedRanges[$0] == nil }
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var queue = missing[...]
                func addRange() {
                    let index = queue.removeFirst()
                    let range = layout.range(ofPart: index + 1)
                    group.addTask {
                        let digest = try await fetch(location, range: range, eTag: eTag, into: file, tracker: tracker, part: index + 1)
                        return (index, digest)
                    }
                }
                while !queue.isEmpty, missing.count - queue.count < options.maximumPartsInFlight { addRange() }
                while let (index, digest) = try await group.next() {
                    record.completedRanges[index] = digest
                    if layout.partCount > 1 {  // a record only matters when there is something to resume
                        let snapshot = record
                        try await BlockingFileWork.run { [manifests] in
                            try file.sync()
                            try manifests.save(snapshot, name: name)
                        }
                    }
                    // Reported done only once recorded: a process killed after this report resumes past it.
                    tracker.finished(part: index + 1, bytes: Int64(layout.range(ofPart: index + 1).count))
                    if !queue.isEmpty { addRange() }
                }
            }
            let verified = try await verify(record, layout: layout, file: file)
            try await BlockingFileWork.run { try file.commit() }
            manifests.remove(name: name)
            return S3TransferResult(
                location: location, path: path, bytes: size, eTag: eTag, parts: layout.partCount, partsResumed: resumed,
                verified: verified, restartedBecauseObjectChanged: restarted)
        } catch let error as S3ServiceError where error.status == 412 {
            // The object changed under the download: what we have is a mix of two objects.
            file.discard()
            manifests.remove(name: name)
            throw S3TransferError.objectChanged(bucket: location.bucket, key: location.key)
        } catch let error as S3TransferError {
            file.discard()
            manifests.remove(name: name)
            throw error
        } catch {
            file.close()  // kept with its manifest: running the download again resumes it
            if record.completedRanges.isEmpty { manifests.remove(name: name); unlink(file.temporaryPath) }
            throw error
        }
    }

    /// One range, streamed into its place in the file and hashed on the way; returns its hex MD5 (the caller
    /// records it, then reports the range done).
    private func fetch(
        _ location: S3ObjectLocation, range: Range<Int64>, eTag: String, into file: S3DownloadFile,
        tracker: S3TransferProgressTracker, part: Int
    ) async throws -> String {
        let wanted = S3ByteRange(offset: range.lowerBound, length: Int64(range.count))
        let digest = try await client.getObject(
            bucket: location.bucket, key: location.key, range: wanted, ifMatch: eTag, progress: tracker.handler(part: part)
        ) { _, body in
            let md5 = MD5()  // per attempt: a retried range starts over
            var position = range.lowerBound
            for try await chunk in body {
                guard position + Int64(chunk.count) <= range.upperBound else {
                    throw S3TransferError.shortRange(expected: Int64(range.count), received: position - range.lowerBound + Int64(chunk.count))
                }
                try file.write(chunk, at: position)
                md5.update(chunk)
                position += Int64(chunk.count)
            }
            guard position == range.upperBound else {
                throw S3TransferError.shortRange(expected: Int64(range.count), received: position - range.lowerBound)
            }
            return md5.finalize()
        }
        return MD5.hex(digest)
    }

    /// Checks the file against the entity tag: directly for one range of a plain-MD5 object, from the ranges'
    /// MD5s when they line up with the object's parts, by hashing the file for a plain-MD5 object fetched in
    /// ranges. Returns false when the tag is no MD5 at all (a KMS-encrypted object) or the parts do not line up.
    private func verify(_ record: S3DownloadManifest, layout: S3PartLayout, file: S3DownloadFile) async throws -> Bool {
        let eTag = record.eTag.lowercased()
        let digests = (0..<layout.partCount).map { record.completedRanges[$0] ?? "" }
        var actual: String?
        if Self.isPlainMD5(eTag) {
            actual = layout.partCount == 1 ? digests[0]
                : MD5.hex(try await BlockingFileWork.md5(ofFileAt: file.temporaryPath, range: 0..<record.size))
        } else if Self.isMultipartMD5(eTag), eTag.hasSuffix("-\(layout.partCount)") {
            actual = MD5.multipartETag(partDigests: digests.map(Self.bytes(hex:)))
        } else if layout.partCount == 0 {
            actual = MD5.hex(MD5.digest([]))
        }
        guard let actual else { return false }
        guard actual == eTag else {
            if Self.isPlainMD5(eTag) || layout.partCount == 1 { throw S3TransferError.checksumMismatch(expected: eTag, actual: actual) }
            return false  // same number of parts but other sizes: cannot tell
        }
        return true
    }

    private static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) ?? 0)
        }
        return bytes
    }
}
