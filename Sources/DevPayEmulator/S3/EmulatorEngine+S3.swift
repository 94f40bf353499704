import Foundation

/// The S3 operations on the state, for a caller already authenticated as one credential set.
extension EmulatorEngine {
    static let maximumBucketsPerCustomer = 100

    func listBuckets(for caller: CredentialSetRecord) -> [BucketRecord] {
        state.buckets.values
            .filter { $0.customerID == caller.customerID && $0.productCode == caller.productCode }
            .sorted { $0.name < $1.name }
    }

    func createBucket(_ name: String, for caller: CredentialSetRecord) throws(S3Fault) {
        guard Self.isValidBucketName(name) else { throw .invalidBucketName() }
        if let existing = state.buckets[name] {
            throw owns(existing, caller) ? .bucketAlreadyOwnedByYou() : .bucketAlreadyExists()
        }
        guard listBuckets(for: caller).count < Self.maximumBucketsPerCustomer else { throw .tooManyBuckets() }
        try save { state, now in
            state.buckets[name] = BucketRecord(name: name, customerID: caller.customerID,
                                               productCode: caller.productCode, createdAt: now)
        }
    }

    func deleteBucket(_ name: String, for caller: CredentialSetRecord) throws(S3Fault) {
        _ = try ownedBucket(name, caller)
        guard state.objects[name]?.isEmpty ?? true else { throw .bucketNotEmpty() }
        try save { state, _ in
            state.buckets[name] = nil
            state.objects[name] = nil
        }
    }

    /// Commits a body staged by ``ObjectStore/stage(_:folder:)`` (discarded when the put is refused).
    func putObject(_ staged: ObjectStore.Staged, size: Int, md5Hex: String, bucket: String, key: String,
                   contentType: String?, for caller: CredentialSetRecord) throws(S3Fault) -> ObjectRecord
    {
        do {
            _ = try ownedBucket(bucket, caller)
            try objects.commit(staged, bucket: bucket, key: key)
        } catch let fault as S3Fault {
            ObjectStore.discard(staged)
            throw fault
        } catch {
            ObjectStore.discard(staged)
            logger.error("object store write failed", metadata: ["error": "\(error)"])
            throw .internalError()
        }
        let record = ObjectRecord(key: key, size: size, md5Hex: md5Hex, contentType: contentType, lastModified: now)
        try save { state, _ in state.objects[bucket, default: [:]][key] = record }
        return record
    }

    /// The object's metadata and where its body is; read the body with ``ObjectStore/read(_:)``.
    func object(bucket: String, key: String, for caller: CredentialSetRecord) throws(S3Fault)
        -> (ObjectRecord, ObjectStore.Location)
    {
        _ = try ownedBucket(bucket, caller)
        guard let record = state.objects[bucket]?[key], let location = objects.location(bucket: bucket, key: key) else {
            throw .noSuchKey()
        }
        return (record, location)
    }

    func deleteObject(bucket: String, key: String, for caller: CredentialSetRecord) throws(S3Fault) {
        _ = try ownedBucket(bucket, caller)
        objects.delete(bucket: bucket, key: key)
        try save { state, _ in state.objects[bucket]?[key] = nil }
    }

    /// Keys of `bucket` after `startAfter` with `prefix`, sorted, up to `maxKeys` (contents and common prefixes
    /// together, as S3 counts them).
    func listObjects(bucket: String, prefix: String, delimiter: String?, startAfter: String?, maxKeys: Int,
                     for caller: CredentialSetRecord) throws(S3Fault) -> ObjectListing
    {
        _ = try ownedBucket(bucket, caller)
        let keys = (state.objects[bucket] ?? [:]).values
            .filter { record in record.key.hasPrefix(prefix) && (startAfter.map { record.key > $0 } ?? true) }
            .sorted { $0.key < $1.key }
        var listing = ObjectListing()
        for record in keys {
            var commonPrefix: String?
            if let delimiter, !delimiter.isEmpty,
               let range = record.key.dropFirst(prefix.count).range(of: delimiter) {
                commonPrefix = String(record.key[..<range.upperBound])
            }
            if let commonPrefix, listing.commonPrefixes.last == commonPrefix { continue }
            if listing.count == maxKeys {
                listing.isTruncated = true
                break
            }
            if let commonPrefix { listing.commonPrefixes.append(commonPrefix) } else { listing.contents.append(record) }
            listing.lastKey = record.key
        }
        return listing
    }

    private func owns(_ bucket: BucketRecord, _ caller: CredentialSetRecord) -> Bool {
        bucket.customerID == caller.customerID && bucket.productCode == caller.productCode
    }

    /// Throws unless `name` exists and belongs to the caller.
    func requireBucket(_ name: String, _ caller: CredentialSetRecord) throws(S3Fault) {
        _ = try ownedBucket(name, caller)
    }

    private func ownedBucket(_ name: String, _ caller: CredentialSetRecord) throws(S3Fault) -> BucketRecord {
        guard let bucket = state.buckets[name] else { throw .noSuchBucket() }
        guard owns(bucket, caller) else { throw .accessDenied() }
        return bucket
    }

    private func save(_ change: (inout EmulatorState, Date) -> Void) throws(S3Fault) {
        do {
            try update { state, _, now in change(&state, now) }
        } catch {
            logger.error("emulator state write failed", metadata: ["error": "\(error)"])
            throw .internalError()
        }
    }

    /// S3's bucket naming rules, plus the upper case and underscores of the DevPay era's legacy names;
    /// `admin` is taken by the admin endpoints.
    static func isValidBucketName(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        guard (3...63).contains(name.count), name != "admin", name.allSatisfy(allowed.contains),
              let first = name.first, let last = name.last,
              first.isLetter || first.isNumber, last.isLetter || last.isNumber
        else { return false }
        return !name.contains("..")
    }
}

/// One page of a bucket listing.
struct ObjectListing: Sendable {
    var contents: [ObjectRecord] = []
    var commonPrefixes: [String] = []
    var isTruncated = false
    /// The last key this page covered: the next page starts after it.
    var lastKey: String?
    var count: Int { contents.count + commonPrefixes.count }
}
