import DevPaySigning
import Foundation

/// A multipart upload in progress: its parts, in memory, by number.
struct MultipartUploadRecord: Sendable {
    var bucket: String
    var key: String
    var customerID: String
    var productCode: String
    var contentType: String?
    var initiated: Date
    var parts: [Int: MultipartPartRecord] = [:]
}

struct MultipartPartRecord: Sendable {
    var body: [UInt8]
    var md5: [UInt8]
    var lastModified: Date
}

/// Multipart uploads as S3 runs them: parts of 5 MiB or more (the last one excepted), up to 10 000, joined in
/// the order the completion names them, each named by the entity tag its upload answered.
extension EmulatorEngine {
    static let minimumPartSize = 5 << 20
    static let maximumPartNumber = 10_000

    func createMultipartUpload(bucket: String, key: String, contentType: String?, for caller: CredentialSetRecord)
        throws(S3Fault) -> String
    {
        try requireBucket(bucket, caller)
        let uploadID = factory.requestID().replacingOccurrences(of: "-", with: "")
        multipartUploads[uploadID] = MultipartUploadRecord(
            bucket: bucket, key: key, customerID: caller.customerID, productCode: caller.productCode,
            contentType: contentType, initiated: now)
        return uploadID
    }

    func uploadPart(_ body: [UInt8], md5: [UInt8], number: Int, uploadID: String, bucket: String, key: String,
                    for caller: CredentialSetRecord) throws(S3Fault)
    {
        guard (1...Self.maximumPartNumber).contains(number) else {
            throw .invalidArgument("Part number must be an integer between 1 and 10000, inclusive")
        }
        _ = try upload(uploadID, bucket: bucket, key: key, caller)
        multipartUploads[uploadID]?.parts[number] = MultipartPartRecord(body: body, md5: md5, lastModified: now)
    }

    func listParts(uploadID: String, bucket: String, key: String, for caller: CredentialSetRecord) throws(S3Fault)
        -> MultipartUploadRecord
    {
        try upload(uploadID, bucket: bucket, key: key, caller)
    }

    func abortMultipartUpload(uploadID: String, bucket: String, key: String, for caller: CredentialSetRecord) throws(S3Fault) {
        _ = try upload(uploadID, bucket: bucket, key: key, caller)
        multipartUploads[uploadID] = nil
    }

    func multipartUploads(bucket: String, prefix: String, for caller: CredentialSetRecord) throws(S3Fault)
        -> [(uploadID: String, record: MultipartUploadRecord)]
    {
        try requireBucket(bucket, caller)
        return multipartUploads
            .filter { $0.value.bucket == bucket && $0.value.key.hasPrefix(prefix) }
            .map { ($0.key, $0.value) }
            .sorted { ($0.record.key, $0.uploadID) < ($1.record.key, $1.uploadID) }
    }

    /// Joins the named parts; returns the body, its entity tag and the content type, and forgets the upload.
    func completeMultipartUpload(uploadID: String, bucket: String, key: String, parts named: [(number: Int, eTag: String)],
                                 for caller: CredentialSetRecord) throws(S3Fault)
        -> (body: [UInt8], eTag: String, contentType: String?)
    {
        let upload = try upload(uploadID, bucket: bucket, key: key, caller)
        guard !named.isEmpty else { throw .malformedXML() }
        var body: [UInt8] = []
        var digests: [[UInt8]] = []
        for (index, entry) in named.enumerated() {
            guard index == 0 || entry.number > named[index - 1].number else { throw .invalidPartOrder() }
            guard let part = upload.parts[entry.number], MD5.hex(part.md5) == entry.eTag.lowercased() else {
                throw .invalidPart()
            }
            guard index == named.count - 1 || part.body.count >= Self.minimumPartSize else { throw .entityTooSmall() }
            body += part.body
            digests.append(part.md5)
        }
        multipartUploads[uploadID] = nil
        return (body, MD5.multipartETag(partDigests: digests), upload.contentType)
    }

    private func upload(_ uploadID: String, bucket: String, key: String, _ caller: CredentialSetRecord) throws(S3Fault)
        -> MultipartUploadRecord
    {
        try requireBucket(bucket, caller)
        guard let upload = multipartUploads[uploadID], upload.bucket == bucket, upload.key == key else { throw .noSuchUpload() }
        guard upload.customerID == caller.customerID, upload.productCode == caller.productCode else { throw .accessDenied() }
        return upload
    }
}
