public import DevPayHTTP
import DevPaySigning
import HTTPTypes

/// Multipart uploads (objects up to 5 TiB in up to 10 000 parts of 5 MiB to 5 GiB) and server-side copies.
/// ``S3Transfers`` drives these for files; call them directly for anything else.
extension S3Client {
    /// Starts a multipart upload of `key` and returns its id.
    public func createMultipartUpload(bucket: String, key: String, contentType: String? = nil) async throws -> String {
        var operation = S3Operation(
            name: "CreateMultipartUpload", method: .post, bucket: bucket, key: key,
            query: [QueryParameter("uploads", "")], payload: .empty)
        if let contentType { operation.headers.append(HTTPHeader("Content-Type", contentType)) }
        let response = try await send(operation, body: .bytes([]))
        return try S3ResponseDecoding.uploadID(from: response.body)
    }

    /// Uploads the bytes `range` of the file at `path` as part `partNumber`, streamed from the file.
    ///
    /// - Parameter contentMD5: the part's MD5 digest (16 bytes): sent as `Content-MD5`, so S3 refuses a part
    ///   that arrives different (`BadDigest`), and compared with the entity tag S3 answers.
    /// - Returns: the part's entity tag, for ``completeMultipartUpload(bucket:key:uploadID:parts:)``.
    public func uploadPart(
        bucket: String,
        key: String,
        uploadID: String,
        partNumber: Int,
        fileAt path: String,
        range: Range<Int64>,
        contentMD5: [UInt8],
        progress: HTTPProgressHandler? = nil
    ) async throws -> String {
        try await uploadPart(
            bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber,
            body: .file(path: path, range: range), payload: .unsigned, contentMD5: contentMD5, progress: progress)
    }

    /// Uploads `bytes` as part `partNumber`; SigV4 signs their hash. Returns the part's entity tag.
    public func uploadPart(
        bucket: String, key: String, uploadID: String, partNumber: Int, bytes: [UInt8], contentMD5: [UInt8]? = nil
    ) async throws -> String {
        try await uploadPart(
            bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber, body: .bytes(bytes),
            payload: .hash(of: bytes), contentMD5: contentMD5 ?? MD5.digest(bytes), progress: nil)
    }

    private func uploadPart(
        bucket: String, key: String, uploadID: String, partNumber: Int, body: HTTPRequestBody, payload: SigV4Payload,
        contentMD5: [UInt8], progress: HTTPProgressHandler?
    ) async throws -> String {
        var operation = S3Operation(
            name: "UploadPart", method: .put, bucket: bucket, key: key,
            query: [QueryParameter("partNumber", String(partNumber)), QueryParameter("uploadId", uploadID)],
            payload: payload)
        operation.headers.append(HTTPHeader("Content-MD5", MD5.base64(contentMD5)))
        let response = try await send(operation, body: body, progress: progress)
        guard let eTag = S3ResponseDecoding.objectInfo(from: response.head).eTag else {
            throw S3ClientError.malformedResponse("UploadPart answered without an ETag")
        }
        // AWS and SeaweedFS tag a part with its MD5 (objects encrypted with KMS keys do not): a different
        // hex MD5 means the part S3 stored is not the one we hashed.
        if eTag.count == 32, eTag.allSatisfy(\.isHexDigit), eTag.lowercased() != MD5.hex(contentMD5) {
            throw S3TransferError.partCorrupted(partNumber: partNumber)
        }
        return eTag
    }

    /// Joins the parts into the object `key`; returns the object's entity tag.
    ///
    /// S3 may answer `200 OK` and still fail (the error is in the body, after a long wait); that is thrown as an
    /// ``S3ServiceError`` like any other.
    @discardableResult
    public func completeMultipartUpload(
        bucket: String, key: String, uploadID: String, parts: [S3UploadedPart]
    ) async throws -> String? {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts.sorted(by: { $0.partNumber < $1.partNumber }) {
            xml += "<Part><PartNumber>\(part.partNumber)</PartNumber><ETag>\"\(part.eTag)\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let bytes = Array(xml.utf8)
        var operation = S3Operation(
            name: "CompleteMultipartUpload", method: .post, bucket: bucket, key: key,
            query: [QueryParameter("uploadId", uploadID)], payload: .hash(of: bytes))
        operation.headers.append(HTTPHeader("Content-Type", "application/xml"))
        let response = try await send(operation, body: .bytes(bytes))
        return try S3ResponseDecoding.completedETag(head: response.head, body: response.body)
    }

    /// Abandons the upload and frees the parts S3 holds for it (S3 bills stored parts until then). An upload
    /// S3 no longer knows (`NoSuchUpload`) counts as aborted.
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        do {
            _ = try await send(S3Operation(
                name: "AbortMultipartUpload", method: .delete, bucket: bucket, key: key,
                query: [QueryParameter("uploadId", uploadID)]))
        } catch let error as S3ServiceError where error.code == "NoSuchUpload" {
            return
        }
    }

    /// Every part S3 holds for the upload, in part-number order (all pages of `ListParts`).
    public func listParts(bucket: String, key: String, uploadID: String) async throws -> [S3UploadedPart] {
        var parts: [S3UploadedPart] = []
        var marker: String?
        repeat {
            var query = [QueryParameter("uploadId", uploadID)]
            if let marker { query.append(QueryParameter("part-number-marker", marker)) }
            let response = try await send(S3Operation(name: "ListParts", method: .get, bucket: bucket, key: key, query: query))
            let page = try S3ResponseDecoding.partsPage(from: response.body)
            parts += page.parts
            marker = page.nextMarker
        } while marker != nil
        return parts.sorted { $0.partNumber < $1.partNumber }
    }

    /// Every multipart upload started in `bucket` (under `prefix`) and neither completed nor aborted
    /// (all pages of `ListMultipartUploads`).
    public func listMultipartUploads(bucket: String, prefix: String? = nil) async throws -> [S3MultipartUploadSummary] {
        var uploads: [S3MultipartUploadSummary] = []
        var markers: (key: String, uploadID: String)?
        repeat {
            var query = [QueryParameter("uploads", "")]
            if let markers {
                query.append(QueryParameter("key-marker", markers.key))
                query.append(QueryParameter("upload-id-marker", markers.uploadID))
            }
            if let prefix { query.append(QueryParameter("prefix", prefix)) }
            let response = try await send(S3Operation(name: "ListMultipartUploads", method: .get, bucket: bucket, query: query))
            let page = try S3ResponseDecoding.uploadsPage(from: response.body)
            uploads += page.uploads
            markers = page.nextMarkers
        } while markers != nil
        return uploads
    }

    /// Copies `sourceKey` in `sourceBucket` to `key` in `bucket` inside S3 (objects up to 5 GiB); returns the
    /// copy's entity tag.
    @discardableResult
    public func copyObject(bucket: String, key: String, sourceBucket: String, sourceKey: String) async throws -> String? {
        var operation = S3Operation(name: "CopyObject", method: .put, bucket: bucket, key: key, payload: .empty)
        operation.headers.append(HTTPHeader(
            "x-amz-copy-source", "/" + sourceBucket + "/" + (try S3ObjectKey.encodedPath(sourceKey))))
        let response = try await send(operation, body: .bytes([]))
        return try S3ResponseDecoding.copiedETag(from: response.body)
    }
}

extension S3Client {
    /// Streams the bytes `range` of the object (all of it when `nil`) to `receive`, only while the object's
    /// entity tag is `ifMatch` (S3 answers `412 PreconditionFailed`, thrown as ``S3ServiceError``, once the
    /// object changed).
    ///
    /// Unlike ``getObject(bucket:key:progress:receive:)`` a failure of the connection while `receive` reads the
    /// body is retried by the retry engine: `receive` is then called again from the range's start, so it must
    /// start over (its own errors end the request as they are).
    public func getObject<Result>(
        bucket: String,
        key: String,
        range: S3ByteRange?,
        ifMatch: String? = nil,
        progress: HTTPProgressHandler? = nil,
        receive: (S3ObjectInfo, HTTPResponseBody) async throws -> Result
    ) async throws -> Result {
        var operation = S3Operation(name: "GetObject", method: .get, bucket: bucket, key: key)
        if let range { operation.headers.append(HTTPHeader("Range", range.headerValue)) }
        if let ifMatch { operation.headers.append(HTTPHeader("If-Match", "\"\(ifMatch)\"")) }
        return try await stream(operation, progress: progress, retryingBrokenBodies: true, receive: receive)
    }
}
