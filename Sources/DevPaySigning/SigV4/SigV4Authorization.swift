/// What a SigV4-signed request claims, read from its `Authorization` header or presigned query: the server
/// side (the emulator) recomputes the signature from these and compares.
public struct SigV4Authorization: Sendable, Hashable {
    /// The access key ID of the credential scope.
    public var accessKeyID: String
    /// `YYYYMMDD` of the credential scope.
    public var dateStamp: String
    /// Region of the credential scope.
    public var region: String
    /// Service of the credential scope.
    public var service: String
    /// Lower-case header names, in the order listed.
    public var signedHeaders: [String]
    /// The hex signature claimed.
    public var signature: String
    /// `X-Amz-Date` of a presigned query (header form: read the `x-amz-date` header).
    public var amzDate: String?
    /// `X-Amz-Expires` of a presigned query, in seconds.
    public var expires: Int?

    /// Parses `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`.
    public init(headerValue: String) throws(SigningError) {
        let prefix = "AWS4-HMAC-SHA256 "
        guard headerValue.hasPrefix(prefix) else { throw Self.malformed("not AWS4-HMAC-SHA256") }
        var fields: [Substring: Substring] = [:]
        for part in headerValue.dropFirst(prefix.count).split(separator: ",") {
            let trimmed = part.drop { $0 == " " }
            guard let equals = trimmed.firstIndex(of: "=") else { throw Self.malformed("field without '='") }
            fields[trimmed[..<equals]] = trimmed[trimmed.index(after: equals)...]
        }
        try self.init(credential: fields["Credential"], signedHeaders: fields["SignedHeaders"],
                      signature: fields["Signature"])
    }

    /// Reads `X-Amz-Credential`, `X-Amz-SignedHeaders`, `X-Amz-Signature`, `X-Amz-Date` and `X-Amz-Expires`
    /// from a raw (percent-encoded) presigned query.
    public init(presignedQuery: String) throws(SigningError) {
        var fields: [String: String] = [:]
        for pair in presignedQuery.split(separator: "&") {
            let equals = pair.firstIndex(of: "=") ?? pair.endIndex
            let name = String(decoding: PercentEncoding.decode(pair[..<equals].utf8), as: UTF8.self)
            let value = equals == pair.endIndex ? "" : String(decoding: PercentEncoding.decode(pair[pair.index(after: equals)...].utf8), as: UTF8.self)
            fields[name] = value
        }
        guard fields["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256" else { throw Self.malformed("X-Amz-Algorithm") }
        try self.init(credential: fields["X-Amz-Credential"].map { Substring($0) },
                      signedHeaders: fields["X-Amz-SignedHeaders"].map { Substring($0) },
                      signature: fields["X-Amz-Signature"].map { Substring($0) })
        amzDate = fields["X-Amz-Date"]
        guard let expiresText = fields["X-Amz-Expires"], let expires = Int(expiresText) else {
            throw Self.malformed("X-Amz-Expires")
        }
        self.expires = expires
    }

    private init(credential: Substring?, signedHeaders: Substring?, signature: Substring?) throws(SigningError) {
        guard let credential, let signedHeaders, let signature else {
            throw Self.malformed("Credential, SignedHeaders and Signature are required")
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard scope.count == 5, scope[4] == "aws4_request", scope[1].count == 8 else {
            throw Self.malformed("credential scope")
        }
        accessKeyID = String(scope[0])
        dateStamp = String(scope[1])
        region = String(scope[2])
        service = String(scope[3])
        self.signedHeaders = signedHeaders.split(separator: ";").map(String.init)
        self.signature = String(signature)
        amzDate = nil
        expires = nil
    }

    private static func malformed(_ reason: String) -> SigningError {
        .malformedAuthorization(reason: reason)
    }
}

/// The intermediate strings and the signature of one SigV4 computation.
public struct SigV4Computation: Sendable, Hashable {
    /// The canonical request.
    public var canonicalRequest: String
    /// The string to sign.
    public var stringToSign: String
    /// The hex signature.
    public var signature: String
}

/// SigV4 steps one at a time, for servers that verify signatures and for debugging.
public enum SigV4 {
    /// The canonical request over `signedHeaders` only (lower-case names, as listed in `SignedHeaders`):
    /// values come from the request's headers (repeated fields comma-joined in order, trim-all), `host`
    /// from the authority when the request has no `Host` field. `excludingSignature` drops
    /// `X-Amz-Signature` from the query (presigned requests).
    public static func canonicalRequest(for request: SigningRequest, signedHeaders: [String], payloadHash: String,
                                        pathRule: SigV4PathRule = .s3, excludingSignature: Bool = false) -> String {
        var builder = SigV4CanonicalBuilder()
        let wanted = Set(signedHeaders.map { Array($0.lowercased().utf8) })
        builder.collectHeaders(of: request, selection: .listed(wanted))
        if wanted.contains(Array("host".utf8)), !builder.hasHost {
            builder.addSyntheticHeader("host") { $0.appendUTF8(request.hostHeaderValue) }
        }
        builder.sortHeaders()
        builder.collectQuery(request.query, excludingSignature: excludingSignature)
        builder.build(request: request, pathRule: pathRule, payload: .sha256Hex(payloadHash))
        return builder.canonicalRequest.string
    }

    /// `AWS4-HMAC-SHA256\n{amzDate}\n{dateStamp}/{region}/{service}/aws4_request\n{hex SHA-256 of the canonical request}`.
    public static func stringToSign(canonicalRequest: String, amzDate: String, dateStamp: String, region: String,
                                    service: String) -> String {
        "AWS4-HMAC-SHA256\n\(amzDate)\n\(dateStamp)/\(region)/\(service)/aws4_request\n"
            + SHA256.hexDigest(Array(canonicalRequest.utf8))
    }

    /// The hex signature of `stringToSign` with the key derived from `secretAccessKey` for the scope.
    /// Throws ``SigningError/invalidTime`` when `dateStamp` is not `YYYYMMDD`.
    public static func signature(stringToSign: String, secretAccessKey: String, dateStamp: String, region: String,
                                 service: String) throws(SigningError) -> String {
        let time = try SigningTime(dateStamp: dateStamp)
        let key = SigV4KeyDerivation.signingKey(secretAccessKey: secretAccessKey, time: time, region: region,
                                                service: service)
        var output = [UInt8]()
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { digest in
            stringToSign.withUTF8Bytes { key.authenticate(UnsafeRawBufferPointer($0), into: digest.baseAddress!) }
            ByteEncoding.appendLowerHex(UnsafeRawBufferPointer(digest), to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Everything a server needs for a received request: the canonical request, string to sign and the
    /// signature it should carry. `amzDate` is the `x-amz-date` header (header form) or
    /// ``SigV4Authorization/amzDate`` (presigned); `payloadHash` is `x-amz-content-sha256` or
    /// `UNSIGNED-PAYLOAD`. Compare the result with ``isSameSignature(_:_:)``.
    public static func expectedSignature(for request: SigningRequest, authorization: SigV4Authorization,
                                         amzDate: String, payloadHash: String, secretAccessKey: String,
                                         pathRule: SigV4PathRule = .s3) throws(SigningError) -> SigV4Computation {
        let canonical = canonicalRequest(for: request, signedHeaders: authorization.signedHeaders,
                                         payloadHash: payloadHash, pathRule: pathRule,
                                         excludingSignature: authorization.expires != nil)
        let toSign = stringToSign(canonicalRequest: canonical, amzDate: amzDate, dateStamp: authorization.dateStamp,
                                  region: authorization.region, service: authorization.service)
        let signature = try signature(stringToSign: toSign, secretAccessKey: secretAccessKey,
                                      dateStamp: authorization.dateStamp, region: authorization.region,
                                      service: authorization.service)
        return SigV4Computation(canonicalRequest: canonical, stringToSign: toSign, signature: signature)
    }

    /// Compares two signatures in time that depends only on their lengths.
    public static func isSameSignature(_ lhs: String, _ rhs: String) -> Bool {
        constantTimeEquals(Array(lhs.utf8), Array(rhs.utf8))
    }
}

extension SigningTime {
    /// Midnight UTC of `YYYYMMDD`.
    init(dateStamp: String) throws(SigningError) {
        let bytes = Array(dateStamp.utf8)
        guard bytes.count == 8 else { throw .invalidTime }
        let text = String(decoding: bytes[0..<4], as: UTF8.self) + "-" + String(decoding: bytes[4..<6], as: UTF8.self)
            + "-" + String(decoding: bytes[6..<8], as: UTF8.self) + "T00:00:00Z"
        try self.init(iso8601: text)
    }
}
