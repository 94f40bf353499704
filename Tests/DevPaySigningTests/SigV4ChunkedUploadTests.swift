import DevPaySigning
import Testing

/// `aws-chunked` uploads signed with `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`, against the worked example of the
/// Amazon S3 API reference ("Signature Calculations for the Authorization Header: Transferring Payload in
/// Multiple Chunks", Example: PUT Object): 66 560 bytes of `a` in a 64 KiB and a 1 KiB chunk.
@Suite("SigV4 chunked upload signing")
struct SigV4ChunkedUploadTests {
    static let credentials = SigningCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    static func exampleRequest() throws -> SigningRequest {
        try SigningRequest(method: "PUT", url: "https://s3.amazonaws.com/examplebucket/chunkObject.txt",
                           headers: [HTTPHeader("x-amz-storage-class", "REDUCED_REDUNDANCY")])
    }

    @Test("the documented example: seed, both chunk signatures, the final chunk and the lengths")
    func documentedExample() throws {
        let signer = try SigV4Signer(credentials: Self.credentials, region: "us-east-1")
        var request = try Self.exampleRequest()
        var chunks = try signer.signStreaming(
            &request, at: try SigningTime(iso8601: "2013-05-24T00:00:00Z"), decodedContentLength: 66_560, chunkSize: 65_536)
        func header(_ name: String) -> String? { request.headers.first { $0.name.lowercased() == name }?.value }
        #expect(header("content-length") == "66824")
        #expect(header("x-amz-decoded-content-length") == "66560")
        #expect(header("content-encoding") == "aws-chunked")
        #expect(header("x-amz-content-sha256") == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        #expect(header("authorization") == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-decoded-content-length;x-amz-storage-class, "
            + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")

        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 66_560)
        let first = chunks.encode(body[..<65_536])
        #expect(chunks.previousSignature == "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")
        #expect(first.starts(with: Array("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n".utf8)))
        let second = chunks.encode(body[65_536...])
        #expect(chunks.previousSignature == "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")
        let last = chunks.finish()
        #expect(last == Array("0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n".utf8))
        #expect(first.count + second.count + last.count == 66_824)
        #expect(Array(second.suffix(1_026)) == Array(body[65_536...]) + [0x0D, 0x0A])
    }

    @Test("the encoded length matches what the chunks add up to, for any length and chunk size",
          arguments: [(0, 8_192), (1, 8_192), (8_192, 8_192), (8_193, 8_192), (200_000, 65_536), (65_536 * 3, 65_536)])
    func encodedLength(length: Int, chunkSize: Int) throws {
        let signer = try SigV4Signer(credentials: Self.credentials, region: "us-east-1")
        var request = try Self.exampleRequest()
        var chunks = try signer.signStreaming(
            &request, at: try SigningTime(iso8601: "2026-11-30T00:00:00Z"), decodedContentLength: length, chunkSize: chunkSize)
        var sent = 0
        var offset = 0
        while offset < length {
            let size = min(chunkSize, length - offset)
            sent += chunks.encode([UInt8](repeating: 7, count: size)).count
            offset += size
        }
        sent += chunks.finish().count
        #expect(sent == SigV4ChunkSigner.encodedLength(decodedLength: length, chunkSize: chunkSize))
        #expect(request.headers.first { $0.name == "Content-Length" }?.value == String(sent))
    }

    @Test("chunks smaller than S3's 8 KiB minimum are refused before signing")
    func tooSmallChunks() throws {
        let signer = try SigV4Signer(credentials: Self.credentials, region: "us-east-1")
        var request = try Self.exampleRequest()
        #expect(throws: SigningError.invalidChunking(chunkSize: 1_024, decodedContentLength: 10)) {
            _ = try signer.signStreaming(&request, at: try SigningTime(iso8601: "2026-11-30T00:00:00Z"),
                                         decodedContentLength: 10, chunkSize: 1_024)
        }
        #expect(!request.headers.contains { $0.name.lowercased() == "authorization" })
    }
}
