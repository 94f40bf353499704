import DevPayRetry
import DevPayXML
import HTTPTypes

/// Reads S3's XML answers with the hardened reader.
enum S3ResponseDecoding {
    static let reader = XMLReader()

    static func buckets(from body: [UInt8]) throws(S3ClientError) -> [S3Bucket] {
        let root = try document(body, expecting: "ListAllMyBucketsResult")
        return (root.child("Buckets")?.children("Bucket") ?? []).map { bucket in
            S3Bucket(name: bucket.child("Name")?.text ?? "", creationDate: bucket.child("CreationDate")?.text ?? "")
        }
    }

    static func objectListPage(from body: [UInt8]) throws(S3ClientError) -> S3ObjectListPage {
        let root = try document(body, expecting: "ListBucketResult")
        let objects = root.children("Contents").map { entry in
            S3ObjectSummary(
                key: entry.child("Key")?.text ?? "",
                size: Int64(entry.child("Size")?.text ?? "") ?? 0,
                eTag: unquoted(entry.child("ETag")?.text ?? ""),
                lastModified: entry.child("LastModified")?.text ?? ""
            )
        }
        let prefixes = root.children("CommonPrefixes").compactMap { $0.child("Prefix")?.text }
        let truncated = root.child("IsTruncated")?.text == "true"
        let token = root.child("NextContinuationToken")?.text
        return S3ObjectListPage(objects: objects, commonPrefixes: prefixes, nextContinuationToken: truncated ? token : nil)
    }

    /// The error an answer with a failure status stands for; a body that is not S3's error XML still gives
    /// the status, so nothing is lost.
    static func serviceError(head: HTTPResponse, body: [UInt8]) -> S3ServiceError {
        let fields = head.headerFields
        var error = S3ServiceError(
            status: head.status.code,
            retryHint: ServerRetryHint.parse(
                retryAfter: fields[.retryAfter],
                responseDate: fields[.date],
                amzRetryAfter: HTTPField.Name("x-amz-retry-after").flatMap { fields[$0] }
            )
        )
        guard !body.isEmpty, let root = try? reader.read(body), root.localName == "Error" else { return error }
        error.code = root.child("Code")?.text
        error.message = root.child("Message")?.text
        error.requestID = root.child("RequestId")?.text
        error.serverTime = root.child("ServerTime")?.text
        return error
    }

    static func objectInfo(from head: HTTPResponse) -> S3ObjectInfo {
        let fields = head.headerFields
        return S3ObjectInfo(
            contentLength: fields[.contentLength].flatMap { Int64($0) },
            contentType: fields[.contentType],
            eTag: fields[.eTag].map(unquoted),
            lastModified: fields[.lastModified]
        )
    }

    static func unquoted(_ eTag: String) -> String {
        eTag.count >= 2 && eTag.hasPrefix("\"") && eTag.hasSuffix("\"") ? String(eTag.dropFirst().dropLast()) : eTag
    }

    static func document(_ body: [UInt8], expecting name: String) throws(S3ClientError) -> XMLTreeElement {
        let root: XMLTreeElement
        do { root = try reader.read(body) } catch { throw .malformedResponse(error.description) }
        guard root.localName == name else { throw .malformedResponse("expected \(name), got \(root.localName)") }
        return root
    }
}
