import DevPaySigning
import Foundation

/// Recomputes a received S3 request's SigV2 or SigV4 signature with DevPaySigning and compares it in
/// constant time; on mismatch the error carries the string to sign (and SigV4's canonical request), as S3
/// does, so a client author can see where the two sides differ.
enum S3SignatureCheck {
    static func verify(_ authorization: S3Authorization, request: S3SignedRequest, secretAccessKey: String)
        throws(S3Fault)
    {
        var headers = request.headers.map { HTTPHeader($0.name, $0.value) }
        if case .sigV2Query = authorization {
            // Query-string SigV2 carries x-amz-* values (the DevPay tokens among them) as query parameters;
            // S3 signs them as if they were headers.
            headers += request.query.decodedPairs(formEncoded: false)
                .filter { $0.name.lowercased().hasPrefix("x-amz-") }
                .map { HTTPHeader($0.name.lowercased(), $0.value) }
        }
        let signingRequest = SigningRequest(
            method: request.method, scheme: "https", authority: request.header("host") ?? "", path: request.rawPath,
            query: request.rawQuery, headers: headers)
        let credentials = SigningCredentials(accessKeyID: authorization.accessKeyID, secretAccessKey: secretAccessKey)
        switch authorization {
        case .sigV2Header(_, let claimed, _), .sigV2Query(_, let claimed, _, _):
            var expires: String?
            if case .sigV2Query(_, _, let value, _) = authorization { expires = value }
            let stringToSign = S3SigV2Signer.stringToSign(
                for: signingRequest, addressing: request.virtualHostedBucket.map { .virtualHosted(bucket: $0) } ?? .pathStyle,
                expires: expires)
            guard let signer = try? S3SigV2Signer(credentials: credentials),
                  SigV4.isSameSignature(signer.signature(stringToSign: stringToSign), claimed) else {
                throw .signatureDoesNotMatch(details: [("AWSAccessKeyId", authorization.accessKeyID),
                                                       ("StringToSign", stringToSign)])
            }
        case .sigV4Header(let claim, let amzDate, _), .sigV4Query(let claim, let amzDate, _, _):
            let payloadHash = try payloadHash(request, presigned: claim.expires != nil)
            let computation: SigV4Computation
            do {
                computation = try SigV4.expectedSignature(for: signingRequest, authorization: claim, amzDate: amzDate,
                                                          payloadHash: payloadHash, secretAccessKey: secretAccessKey)
            } catch {
                throw .authorizationHeaderMalformed("The credential scope date is invalid.")
            }
            guard SigV4.isSameSignature(computation.signature, claim.signature) else {
                throw .signatureDoesNotMatch(details: [("AWSAccessKeyId", claim.accessKeyID),
                                                       ("StringToSign", computation.stringToSign),
                                                       ("SignatureProvided", claim.signature),
                                                       ("CanonicalRequest", computation.canonicalRequest)])
            }
        }
    }

    /// The payload hash the client signed: `x-amz-content-sha256` (required on S3's header form, checked
    /// against the body unless `UNSIGNED-PAYLOAD`), or `UNSIGNED-PAYLOAD` for presigned URLs without one.
    private static func payloadHash(_ request: S3SignedRequest, presigned: Bool) throws(S3Fault) -> String {
        guard let declared = request.header("x-amz-content-sha256") else {
            if presigned { return "UNSIGNED-PAYLOAD" }
            throw .invalidRequest("Missing required header for this request: x-amz-content-sha256")
        }
        if declared == "UNSIGNED-PAYLOAD" { return declared }
        if declared.hasPrefix("STREAMING-") { throw .notImplemented() }
        guard declared.lowercased() == SHA256.hexDigest(request.body) else { throw .contentSHA256Mismatch() }
        return declared
    }
}
