/// S3 signature version 2 (the scheme of the DevPay era): `Authorization: AWS AKID:Base64(HMAC-SHA1(secret,
/// StringToSign))`, or the opt-in query-string form.
///
/// `StringToSign = VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedAmzHeaders CanonicalizedResource`.
/// The security token (a session token or the DevPay `{UserToken}…,{ProductToken}…` pair) is sent as one
/// `x-amz-security-token` field and signed among the amz headers. Like ``SigV4Signer`` it keeps the
/// secret's HMAC states and its buffers, so reuse it; it is not `Sendable`.
public final class S3SigV2Signer {
    /// The credentials in use.
    public private(set) var credentials: SigningCredentials
    private var key: HMACKey<SHA1State>
    private var buffer = S3SigV2StringToSign()
    private var authorization: [UInt8] = []

    /// A signer; throws when a credential part is empty or the token cannot be a header value.
    public init(credentials: SigningCredentials) throws(SigningError) {
        try Self.validate(credentials)
        self.credentials = credentials
        key = HMACKey(key: credentials.secretAccessKey)
        authorization.reserveCapacity(128)
    }

    /// Switches to new credentials.
    public func update(credentials: SigningCredentials) throws(SigningError) {
        try Self.validate(credentials)
        self.credentials = credentials
        key = HMACKey(key: credentials.secretAccessKey)
    }

    private static func validate(_ credentials: SigningCredentials) throws(SigningError) {
        try credentials.validate()
        if let token = credentials.securityToken {
            try ASCII.validate(HTTPHeader("x-amz-security-token", token.value))
        }
    }

    /// Signs `request` in place: sets `Date` (unless it carries `x-amz-date`, whose value is then signed
    /// instead), `x-amz-security-token` (with a token) and `Authorization`, replacing earlier values.
    public func sign(_ request: inout SigningRequest, at time: SigningTime, addressing: S3Addressing = .pathStyle)
        throws(SigningError)
    {
        request.headers.removeAll(named: "authorization")
        if credentials.securityToken != nil { request.headers.removeAll(named: "x-amz-security-token") }
        let usesAmzDate = request.headers.firstValue(named: "x-amz-date") != nil
        if !usesAmzDate { request.headers.removeAll(named: "date") }
        let value = try withAuthorization(for: request, at: time, addressing: addressing) {
            String(decoding: $0, as: UTF8.self)
        }
        if !usesAmzDate { request.headers.append(HTTPHeader("Date", time.httpDate)) }
        if let token = credentials.securityToken {
            request.headers.append(HTTPHeader("x-amz-security-token", token.value))
        }
        request.headers.append(HTTPHeader("Authorization", value))
    }

    /// The `Authorization` value ``sign(_:at:addressing:)`` would set, as bytes in the signer's buffer (valid
    /// inside `body` only). No allocation once warm. The `Date` signed is `time` (IMF-fixdate) unless the
    /// request has `x-amz-date`; send the same `Date` and token headers ``sign(_:at:addressing:)`` adds.
    public func withAuthorization<R>(for request: SigningRequest, at time: SigningTime, addressing: S3Addressing,
                                     _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(SigningError) -> R {
        try request.validate()
        buffer.build(request: request, date: .time(time), token: credentials.securityToken, addressing: addressing)
        authorization.removeAll(keepingCapacity: true)
        authorization.appendLiteral("AWS ")
        authorization.appendUTF8(credentials.accessKeyID)
        authorization.append(UInt8(ascii: ":"))
        appendSignature(to: &authorization)
        return authorization.withUnsafeBufferPointer(body)
    }

    /// Query-string authentication (presigned URL), **opt-in**: appends `AWSAccessKeyId`, `Expires` (absolute,
    /// seconds since 1970), `Signature` and, with a token, `x-amz-security-token` to the query. A token in a
    /// URL leaks with it (the DevPay guide discourages this for desktop products), so with a token this
    /// throws ``SigningError/tokenInURLNotAllowed`` unless `allowingTokenInURL` is true. Headers on the
    /// request are signed and must be sent with the URL.
    public func presign(_ request: inout SigningRequest, expiresAt: SigningTime, addressing: S3Addressing = .pathStyle,
                        allowingTokenInURL: Bool = false) throws(SigningError) {
        if credentials.securityToken != nil, !allowingTokenInURL { throw .tokenInURLNotAllowed }
        try request.validate()
        let expires = String(expiresAt.secondsSince1970)
        buffer.build(request: request, date: .literal(expires), token: credentials.securityToken, addressing: addressing)
        var signature = [UInt8]()
        appendSignature(to: &signature)
        var query = [UInt8]()
        query.appendUTF8(request.query)
        if !query.isEmpty { query.append(UInt8(ascii: "&")) }
        var parameters = [QueryParameter("AWSAccessKeyId", credentials.accessKeyID), QueryParameter("Expires", expires),
                          QueryParameter("Signature", String(decoding: signature, as: UTF8.self))]
        if let token = credentials.securityToken { parameters.append(QueryParameter("x-amz-security-token", token.value)) }
        QueryParameter.appendQueryString(parameters, to: &query)
        request.query = String(decoding: query, as: UTF8.self)
    }

    /// The last string to sign (for debugging and tests).
    public var lastStringToSign: String { String(decoding: buffer.bytes, as: UTF8.self) }

    /// Base64(HMAC-SHA1(secret, `stringToSign`)): what a server compares with the received signature.
    public func signature(stringToSign: String) -> String {
        var output = [UInt8]()
        withUnsafeTemporaryAllocation(byteCount: SHA1State.digestSize, alignment: 8) { digest in
            stringToSign.withUTF8Bytes { key.authenticate(UnsafeRawBufferPointer($0), into: digest.baseAddress!) }
            ByteEncoding.appendBase64(UnsafeRawBufferPointer(digest), to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The string to sign of a received request, as a server recomputes it: `Date` from the request's `Date`
    /// header (empty when it has `x-amz-date`), or `expires` (the `Expires` query value) for a presigned one.
    /// The request's own `x-amz-security-token` fields are signed as sent.
    public static func stringToSign(for request: SigningRequest, addressing: S3Addressing, expires: String? = nil)
        -> String
    {
        var buffer = S3SigV2StringToSign()
        buffer.build(request: request, date: expires.map { .literal($0) } ?? .fromRequest, token: nil,
                     addressing: addressing)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    /// CanonicalizedResource: `/bucket` (virtual-hosted) + the path as sent + the signed sub-resources
    /// (`acl`, `versionId`, `uploadId`, `partNumber`, `response-*`, …) sorted, values decoded.
    public static func canonicalizedResource(path: String, query: String, addressing: S3Addressing) -> String {
        var output = [UInt8]()
        S3SigV2StringToSign.appendCanonicalizedResource(path: path, query: query, addressing: addressing, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private func appendSignature(to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: SHA1State.digestSize, alignment: 8) { digest in
            buffer.bytes.withUnsafeBytes { key.authenticate($0, into: digest.baseAddress!) }
            ByteEncoding.appendBase64(UnsafeRawBufferPointer(digest), to: &output)
        }
    }
}
