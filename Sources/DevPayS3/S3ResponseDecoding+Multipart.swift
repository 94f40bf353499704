import DevPayXML
import HTTPTypes

/// The XML answers of multipart uploads and copies.
extension S3ResponseDecoding {
    static func uploadID(from body: [UInt8]) throws(S3ClientError) -> String {
        let root = try document(body, expecting: "InitiateMultipartUploadResult")
        guard let id = root.child("UploadId")?.text, !id.isEmpty else {
            throw .malformedResponse("InitiateMultipartUploadResult without an UploadId")
        }
        return id
    }

    static func partsPage(from body: [UInt8]) throws(S3ClientError) -> (parts: [S3UploadedPart], nextMarker: String?) {
        let root = try document(body, expecting: "ListPartsResult")
        let parts = root.children("Part").compactMap { part -> S3UploadedPart? in
            guard let number = Int(part.child("PartNumber")?.text ?? "") else { return nil }
            return S3UploadedPart(
                partNumber: number, eTag: unquoted(part.child("ETag")?.text ?? ""),
                size: Int64(part.child("Size")?.text ?? "") ?? 0)
        }
        let marker = root.child("NextPartNumberMarker")?.text
        return (parts, root.child("IsTruncated")?.text == "true" && marker?.isEmpty == false ? marker : nil)
    }

    static func uploadsPage(from body: [UInt8]) throws(S3ClientError)
        -> (uploads: [S3MultipartUploadSummary], nextMarkers: (key: String, uploadID: String)?)
    {
        let root = try document(body, expecting: "ListMultipartUploadsResult")
        let uploads = root.children("Upload").map { upload in
            S3MultipartUploadSummary(
                key: upload.child("Key")?.text ?? "", uploadID: upload.child("UploadId")?.text ?? "",
                initiated: upload.child("Initiated")?.text ?? "")
        }
        guard root.child("IsTruncated")?.text == "true",
              let key = root.child("NextKeyMarker")?.text, let id = root.child("NextUploadIdMarker")?.text
        else { return (uploads, nil) }
        return (uploads, (key, id))
    }

    /// `CompleteMultipartUpload` can fail after its `200 OK`: the body is then S3's `Error`.
    static func completedETag(head: HTTPResponse, body: [UInt8]) throws -> String? {
        if let root = try? reader.read(body), root.localName == "Error" {
            throw serviceError(head: head, body: body)
        }
        let root = try document(body, expecting: "CompleteMultipartUploadResult")
        return root.child("ETag").map { unquoted($0.text) }
    }

    static func copiedETag(from body: [UInt8]) throws(S3ClientError) -> String? {
        let root = try document(body, expecting: "CopyObjectResult")
        return root.child("ETag").map { unquoted($0.text) }
    }
}
