import DevPaySigning
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The DevPay-aware S3 subset: `GET /` lists buckets; `PUT|DELETE /bucket`; `GET /bucket` lists objects
/// (v2 form); `PUT|GET|HEAD|DELETE /bucket/key`. Path-style, or virtual-hosted with the bucket in the host
/// (`bucket.s3.localhost`, see ``S3SignedRequest/virtualHostDomain``).
struct S3Handler: Sendable {
    let engine: EmulatorEngine
    /// When set, authenticated requests go on to this S3 engine instead of the in-memory store.
    var forwarder: S3Forwarder?

    func respond(to request: Request, query: QueryString, context: EmulatorRequestContext) async throws -> Response {
        let requestID = await engine.requestID()
        let resource = request.uri.path
        do {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let signed = S3SignedRequest(request: request, query: query, body: Array(buffer: body))
            let caller = try await engine.authenticate(signed)
            if let forwarder { return try await forwarder.forward(signed, requestID: requestID) }
            return try await perform(signed, caller: caller, requestID: requestID)
        } catch let fault as S3Fault {
            if request.method == .head {  // HEAD answers carry no body, so S3 sends only the status
                return Response(status: .init(code: fault.status), headers: [HTTPField.Name("x-amz-request-id")!: requestID])
            }
            return HTTPAnswers.xml(S3XML.error(fault, requestID: requestID, resource: resource),
                                   status: .init(code: fault.status), requestID: requestID)
        }
    }

    private func perform(_ request: S3SignedRequest, caller: CredentialSetRecord, requestID: String)
        async throws(S3Fault) -> Response
    {
        let segments = request.pathStyleResource.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = segments.first.map { QueryString.decode($0, formEncoded: false) } ?? ""
        let key = segments.count > 1 ? QueryString.decode(segments[1], formEncoded: false) : ""

        switch (request.method, bucket.isEmpty, key.isEmpty) {
        case ("GET", true, _):
            return listBuckets(await engine.listBuckets(for: caller), caller: caller, requestID: requestID)
        case ("PUT", false, true):
            try await engine.createBucket(bucket, for: caller)
            return Response(status: .ok, headers: [.location: "/\(bucket)", HTTPField.Name("x-amz-request-id")!: requestID])
        case ("DELETE", false, true):
            try await engine.deleteBucket(bucket, for: caller)
            return Response(status: .noContent, headers: [HTTPField.Name("x-amz-request-id")!: requestID])
        case ("GET", false, true):
            return try await listObjects(bucket, request.query, caller: caller, requestID: requestID)
        case ("GET", false, true) where request.query.contains("uploads"):
            return try await listUploads(bucket, request.query, caller: caller, requestID: requestID)
        case ("POST", false, false) where request.query.contains("uploads"):
            let uploadID = try await engine.createMultipartUpload(
                bucket: bucket, key: key, contentType: request.header("content-type"), for: caller)
            return HTTPAnswers.xml(S3XML.document("InitiateMultipartUploadResult", [
                ("Bucket", bucket), ("Key", key), ("UploadId", uploadID)]), requestID: requestID)
        case ("POST", false, false) where request.query.value("uploadId") != nil:
            return try await completeUpload(request, bucket: bucket, key: key, caller: caller, requestID: requestID)
        case ("PUT", false, false) where request.query.value("uploadId") != nil:
            let digest = try Self.checkedDigest(request)
            guard let number = Int(request.query.value("partNumber") ?? "") else {
                throw .invalidArgument("Part number must be an integer between 1 and 10000, inclusive")
            }
            try await engine.uploadPart(request.body, md5: digest, number: number, uploadID: request.query.value("uploadId")!,
                                        bucket: bucket, key: key, for: caller)
            return Response(status: .ok, headers: [.eTag: "\"\(MD5.hex(digest))\"", HTTPField.Name("x-amz-request-id")!: requestID])
        case ("GET", false, false) where request.query.value("uploadId") != nil:
            return try await listParts(request.query.value("uploadId")!, bucket: bucket, key: key, caller: caller, requestID: requestID)
        case ("DELETE", false, false) where request.query.value("uploadId") != nil:
            try await engine.abortMultipartUpload(uploadID: request.query.value("uploadId")!, bucket: bucket, key: key, for: caller)
            return Response(status: .noContent, headers: [HTTPField.Name("x-amz-request-id")!: requestID])
        case ("PUT", false, false) where request.header("x-amz-copy-source") != nil:
            return try await copyObject(request, bucket: bucket, key: key, caller: caller, requestID: requestID)
        case ("PUT", false, false):
            let digest = try Self.checkedDigest(request)
            let record = try await store(request.body, eTag: MD5.hex(digest), bucket: bucket, key: key,
                                         contentType: request.header("content-type"), caller: caller)
            return Response(status: .ok, headers: [.eTag: "\"\(record.md5Hex)\"",
                                                   HTTPField.Name("x-amz-request-id")!: requestID])
        case ("GET", false, false), ("HEAD", false, false):
            return try await getObject(request, bucket: bucket, key: key, caller: caller, requestID: requestID)
        case ("DELETE", false, false):
            try await engine.deleteObject(bucket: bucket, key: key, for: caller)
            return Response(status: .noContent, headers: [HTTPField.Name("x-amz-request-id")!: requestID])
        case ("POST", _, _):
            throw .notImplemented()
        default:
            throw .methodNotAllowed()
        }
    }

    private func listBuckets(_ buckets: [BucketRecord], caller: CredentialSetRecord, requestID: String) -> Response {
        let entries = buckets.map {
            "    <Bucket><Name>\(HTTPAnswers.escaped($0.name))</Name>"
                + "<CreationDate>\(HTTPAnswers.iso8601($0.createdAt))</CreationDate></Bucket>"
        }
        let xml = (["<ListAllMyBucketsResult xmlns=\"\(S3XML.namespace)\">",
                    "  <Owner><ID>\(caller.customerID)</ID><DisplayName>\(caller.customerID)</DisplayName></Owner>",
                    "  <Buckets>"] + entries + ["  </Buckets>", "</ListAllMyBucketsResult>"]).joined(separator: "\n")
        return HTTPAnswers.xml(xml, requestID: requestID)
    }

    private func listObjects(_ bucket: String, _ query: QueryString, caller: CredentialSetRecord, requestID: String)
        async throws(S3Fault) -> Response
    {
        let prefix = query.value("prefix") ?? ""
        let delimiter = query.value("delimiter")
        var maxKeys = 1000
        if let text = query.value("max-keys") {
            guard let value = Int(text), value >= 0 else { throw .invalidArgument("max-keys must be a non-negative integer") }
            maxKeys = min(value, 1000)
        }
        let continuation = query.value("continuation-token")
        let startAfterKey: String?
        if let continuation {
            guard let decoded = Data(base64Encoded: continuation).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw .invalidArgument("The continuation token provided is incorrect")
            }
            startAfterKey = decoded
        } else {
            startAfterKey = query.value("start-after")
        }
        let listing = try await engine.listObjects(bucket: bucket, prefix: prefix, delimiter: delimiter,
                                                   startAfter: startAfterKey, maxKeys: maxKeys, for: caller)
        var lines = ["<ListBucketResult xmlns=\"\(S3XML.namespace)\">",
                     "  <Name>\(HTTPAnswers.escaped(bucket))</Name>",
                     "  <Prefix>\(HTTPAnswers.escaped(prefix))</Prefix>",
                     "  <KeyCount>\(listing.count)</KeyCount>",
                     "  <MaxKeys>\(maxKeys)</MaxKeys>"]
        if let delimiter { lines.append("  <Delimiter>\(HTTPAnswers.escaped(delimiter))</Delimiter>") }
        if let continuation { lines.append("  <ContinuationToken>\(HTTPAnswers.escaped(continuation))</ContinuationToken>") }
        if let startAfter = query.value("start-after") {
            lines.append("  <StartAfter>\(HTTPAnswers.escaped(startAfter))</StartAfter>")
        }
        lines.append("  <IsTruncated>\(listing.isTruncated)</IsTruncated>")
        if listing.isTruncated, let last = listing.lastKey {
            lines.append("  <NextContinuationToken>\(Data(last.utf8).base64EncodedString())</NextContinuationToken>")
        }
        for record in listing.contents {
            lines.append("  <Contents><Key>\(HTTPAnswers.escaped(record.key))</Key>"
                + "<LastModified>\(HTTPAnswers.iso8601(record.lastModified))</LastModified>"
                + "<ETag>&quot;\(record.md5Hex)&quot;</ETag><Size>\(record.size)</Size>"
                + "<StorageClass>STANDARD</StorageClass></Contents>")
        }
        for commonPrefix in listing.commonPrefixes {
            lines.append("  <CommonPrefixes><Prefix>\(HTTPAnswers.escaped(commonPrefix))</Prefix></CommonPrefixes>")
        }
        lines.append("</ListBucketResult>")
        return HTTPAnswers.xml(lines.joined(separator: "\n"), requestID: requestID)
    }
}
