extension SigV4Signer {
    /// Signs `request` for a body sent in `aws-chunked` encoding and returns the signer of its chunks.
    ///
    /// Sets `Content-Encoding: aws-chunked`, `X-Amz-Decoded-Content-Length` (the body's real length) and
    /// `Content-Length` (the encoded length, chunk headers included), then signs the request as
    /// ``sign(_:at:payload:)`` does with ``SigV4ChunkSigner/payloadMarker`` as the payload hash. That
    /// signature seeds the chain of chunk signatures.
    ///
    /// - Parameters:
    ///   - decodedContentLength: the body's length in bytes.
    ///   - chunkSize: the size of every chunk but the last; at least 8 KiB (S3's minimum), 64 KiB or more
    ///     recommended.
    /// - Throws: ``SigningError/invalidChunking(chunkSize:decodedContentLength:)``, or what signing throws.
    public func signStreaming(
        _ request: inout SigningRequest, at time: SigningTime, decodedContentLength: Int, chunkSize: Int
    ) throws(SigningError) -> SigV4ChunkSigner {
        guard chunkSize >= SigV4ChunkSigner.minimumChunkSize, decodedContentLength >= 0 else {
            throw .invalidChunking(chunkSize: chunkSize, decodedContentLength: decodedContentLength)
        }
        request.headers.removeAll { header in
            header.hasName("content-encoding") || header.hasName("content-length")
                || header.hasName("x-amz-decoded-content-length")
        }
        let encodedLength = SigV4ChunkSigner.encodedLength(decodedLength: decodedContentLength, chunkSize: chunkSize)
        request.headers += [
            HTTPHeader("Content-Encoding", "aws-chunked"),
            HTTPHeader("Content-Length", String(encodedLength)),
            HTTPHeader("X-Amz-Decoded-Content-Length", String(decodedContentLength)),
        ]
        try sign(&request, at: time, payload: .sha256Hex(SigV4ChunkSigner.payloadMarker))
        // The Authorization value ends with "Signature=" and the 64 hex digits of the seed signature.
        let authorization = request.headers.last { $0.hasName("authorization") }?.value ?? ""
        let amzDate = time.amzDate
        return SigV4ChunkSigner(
            signingKey: signingKey(for: time), amzDate: amzDate,
            scope: "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request",
            seedSignature: String(authorization.suffix(64)), chunkSize: chunkSize)
    }
}
