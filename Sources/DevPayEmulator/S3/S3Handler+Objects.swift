import DevPaySigning
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Object reads with `Range` and `If-Match`, copies, and the multipart operations.
extension S3Handler {
    /// The body's MD5, after checking it against `Content-MD5` when the request sent one.
    static func checkedDigest(_ request: S3SignedRequest) throws(S3Fault) -> [UInt8] {
        let digest = MD5.digest(request.body)
        if let expected = request.header("content-md5"), MD5.base64(digest) != expected { throw .badDigest() }
        return digest
    }

    /// Stages `body` and commits it as the object.
    func store(_ body: [UInt8], eTag: String, bucket: String, key: String, contentType: String?,
               caller: CredentialSetRecord) async throws(S3Fault) -> ObjectRecord
    {
        let staged: ObjectStore.Staged
        do {
            staged = try await ObjectStore.stage(body, folder: engine.folder)
        } catch {
            throw .internalError()
        }
        return try await engine.putObject(staged, size: body.count, md5Hex: eTag, bucket: bucket, key: key,
                                          contentType: contentType, for: caller)
    }

    func getObject(_ request: S3SignedRequest, bucket: String, key: String, caller: CredentialSetRecord,
                   requestID: String) async throws(S3Fault) -> Response
    {
        let (record, location) = try await engine.object(bucket: bucket, key: key, for: caller)
        if let wanted = request.header("if-match"),
           !wanted.split(separator: ",").contains(where: { Self.unquoted(String($0)) == record.md5Hex || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            throw .preconditionFailed()
        }
        var headers: HTTPFields = [
            .eTag: "\"\(record.md5Hex)\"",
            .lastModified: HTTPAnswers.rfc1123(record.lastModified),
            .contentType: record.contentType ?? "binary/octet-stream",
            .acceptRanges: "bytes",
            HTTPField.Name("x-amz-request-id")!: requestID,
        ]
        let range = try request.header("range").flatMap { text throws(S3Fault) in try Self.byteRange(text, size: record.size) }
        headers[.contentLength] = String(range.map(\.count) ?? record.size)
        if let range { headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(record.size)" }
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        if request.method == "HEAD" { return Response(status: status, headers: headers) }
        guard let data = await ObjectStore.read(location) else { throw .noSuchKey() }  // deleted meanwhile
        let bytes = range.map { data.subdata(in: $0) } ?? data
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `bytes=first-last`, `bytes=first-` or `bytes=-suffix` within an object of `size` bytes; `nil` for a
    /// header S3 ignores (several ranges, another unit).
    static func byteRange(_ text: String, size: Int) throws(S3Fault) -> Range<Int>? {
        guard text.hasPrefix("bytes="), !text.contains(",") else { return nil }
        let spec = text.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard spec.count == 2 else { return nil }
        let first = Int(spec[0])
        let last = Int(spec[1])
        switch (first, last) {
        case (let first?, let last?) where first <= last:
            guard first < size else { throw .invalidRange() }
            return first..<min(last + 1, size)
        case (let first?, nil) where spec[1].isEmpty:
            guard first < size else { throw .invalidRange() }
            return first..<size
        case (nil, let suffix?) where spec[0].isEmpty:
            guard suffix > 0, size > 0 else { throw .invalidRange() }
            return max(0, size - suffix)..<size
        default:
            return nil
        }
    }

    func copyObject(_ request: S3SignedRequest, bucket: String, key: String, caller: CredentialSetRecord,
                    requestID: String) async throws(S3Fault) -> Response
    {
        let source = QueryString.decode(Substring(request.header("x-amz-copy-source") ?? ""), formEncoded: false)
        let path = source.hasPrefix("/") ? source.dropFirst() : Substring(source)
        let parts = path.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { throw .invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey") }
        let (record, location) = try await engine.object(bucket: String(parts[0]), key: String(parts[1]), for: caller)
        guard let data = await ObjectStore.read(location) else { throw .noSuchKey() }
        let copy = try await store(Array(data), eTag: record.md5Hex, bucket: bucket, key: key,
                                   contentType: record.contentType, caller: caller)
        return HTTPAnswers.xml(S3XML.document("CopyObjectResult", [
            ("LastModified", HTTPAnswers.iso8601(copy.lastModified)), ("ETag", "\"\(copy.md5Hex)\"")]), requestID: requestID)
    }

    func completeUpload(_ request: S3SignedRequest, bucket: String, key: String, caller: CredentialSetRecord,
                        requestID: String) async throws(S3Fault) -> Response
    {
        let named = try Self.completionParts(request.body)
        let (body, eTag, contentType) = try await engine.completeMultipartUpload(
            uploadID: request.query.value("uploadId")!, bucket: bucket, key: key, parts: named, for: caller)
        _ = try await store(body, eTag: eTag, bucket: bucket, key: key, contentType: contentType, caller: caller)
        return HTTPAnswers.xml(S3XML.document("CompleteMultipartUploadResult", [
            ("Location", "/\(bucket)/\(key)"), ("Bucket", bucket), ("Key", key), ("ETag", "\"\(eTag)\"")]), requestID: requestID)
    }

    /// The `(PartNumber, ETag)` pairs of a `CompleteMultipartUpload` body, in the order given.
    static func completionParts(_ body: [UInt8]) throws(S3Fault) -> [(number: Int, eTag: String)] {
        let text = String(decoding: body, as: UTF8.self)
        guard text.contains("<CompleteMultipartUpload") else { throw .malformedXML() }
        var parts: [(Int, String)] = []
        for chunk in text.components(separatedBy: "<Part>").dropFirst() {
            guard let number = element("PartNumber", in: chunk).flatMap({ Int($0) }),
                  let eTag = element("ETag", in: chunk) else { throw .malformedXML() }
            parts.append((number, unquoted(eTag.replacingOccurrences(of: "&quot;", with: "\""))))
        }
        return parts
    }

    func listParts(_ uploadID: String, bucket: String, key: String, caller: CredentialSetRecord, requestID: String)
        async throws(S3Fault) -> Response
    {
        let upload = try await engine.listParts(uploadID: uploadID, bucket: bucket, key: key, for: caller)
        var fields: [(String, String)] = [("Bucket", bucket), ("Key", key), ("UploadId", uploadID), ("IsTruncated", "false")]
        for (number, part) in upload.parts.sorted(by: { $0.key < $1.key }) {
            fields.append(("Part", "<PartNumber>\(number)</PartNumber><LastModified>\(HTTPAnswers.iso8601(part.lastModified))</LastModified>"
                + "<ETag>&quot;\(MD5.hex(part.md5))&quot;</ETag><Size>\(part.body.count)</Size>"))
        }
        return HTTPAnswers.xml(S3XML.document("ListPartsResult", fields, raw: ["Part"]), requestID: requestID)
    }

    func listUploads(_ bucket: String, _ query: QueryString, caller: CredentialSetRecord, requestID: String)
        async throws(S3Fault) -> Response
    {
        let uploads = try await engine.multipartUploads(bucket: bucket, prefix: query.value("prefix") ?? "", for: caller)
        var fields: [(String, String)] = [("Bucket", bucket), ("IsTruncated", "false")]
        for (uploadID, upload) in uploads {
            fields.append(("Upload", "<Key>\(HTTPAnswers.escaped(upload.key))</Key><UploadId>\(uploadID)</UploadId>"
                + "<Initiated>\(HTTPAnswers.iso8601(upload.initiated))</Initiated>"))
        }
        return HTTPAnswers.xml(S3XML.document("ListMultipartUploadsResult", fields, raw: ["Upload"]), requestID: requestID)
    }

    private static func element(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func unquoted(_ eTag: String) -> String {
        let trimmed = eTag.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= 2 && trimmed.hasPrefix("\"") && trimmed.hasSuffix("\"") ? String(trimmed.dropFirst().dropLast()) : trimmed
    }
}
