/// Signs requests with AWS Signature Version 4, header or presigned form, for one set of credentials,
/// one region and one service.
///
/// A signer is built for reuse: it keeps the `AWS4`+secret HMAC states, the derived signing key of the
/// last day used, and every buffer the canonical request needs, so signing with a warm signer allocates
/// nothing in ``withAuthorization(for:at:payload:_:)``. It is not `Sendable`: give each task or actor its
/// own (they are cheap), or keep one inside an actor.
///
/// ```swift
/// let signer = try SigV4Signer(credentials: credentials, region: "us-east-1")
/// var request = try SigningRequest(method: "GET", url: "https://bucket.s3.amazonaws.com/photo.jpg")
/// try signer.sign(&request, at: SigningTime(secondsSince1970: now), payload: .empty)
/// ```
public final class SigV4Signer {
    /// The credentials in use.
    public private(set) var credentials: SigningCredentials
    /// The region of the credential scope, e.g. `us-east-1`.
    public let region: String
    /// The service of the credential scope, e.g. `s3`.
    public let service: String
    /// S3 or generic rules.
    public let options: SigV4Options

    private var secretKey: HMACKey<SHA256State>
    private var signingKey: HMACKey<SHA256State>
    private var signingKeyDay: Int64 = -1
    private var builder = SigV4CanonicalBuilder()
    private var stringToSign: [UInt8] = []
    private var authorization: [UInt8] = []

    /// A signer; throws when a credential part, the region or the service is empty, or the token has
    /// characters a header cannot carry.
    public init(credentials: SigningCredentials, region: String, service: String = "s3", options: SigV4Options = .s3)
        throws(SigningError)
    {
        guard !region.isEmpty else { throw .missingCredential(.region) }
        guard !service.isEmpty else { throw .missingCredential(.service) }
        try Self.validate(credentials)
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
        secretKey = HMACKey(key: "AWS4" + credentials.secretAccessKey)
        signingKey = secretKey
        stringToSign.reserveCapacity(256)
        authorization.reserveCapacity(512)
    }

    /// Switches to new credentials (after a reactivation or a token refresh); the key cache is dropped.
    public func update(credentials: SigningCredentials) throws(SigningError) {
        try Self.validate(credentials)
        self.credentials = credentials
        secretKey = HMACKey(key: "AWS4" + credentials.secretAccessKey)
        signingKeyDay = -1
    }

    private static func validate(_ credentials: SigningCredentials) throws(SigningError) {
        try credentials.validate()
        if let token = credentials.securityToken {
            try ASCII.validate(HTTPHeader("x-amz-security-token", token.value))
        }
    }

    // MARK: Header form

    /// Signs `request` in place: sets `Host` (when absent), `X-Amz-Date`, `X-Amz-Security-Token` (when the
    /// credentials carry a token or the DevPay pair), `X-Amz-Content-SHA256` (S3) and `Authorization`,
    /// replacing earlier values of those fields. Every other header present is signed, except hop-by-hop
    /// ones such as `User-Agent` and `Expect`.
    public func sign(_ request: inout SigningRequest, at time: SigningTime, payload: SigV4Payload) throws(SigningError) {
        request.headers.removeAll { header in
            header.hasName("authorization") || header.hasName("x-amz-date")
                || (credentials.securityToken != nil && header.hasName("x-amz-security-token"))
                || (options.addsContentSHA256Header && header.hasName("x-amz-content-sha256"))
        }
        let hadHost = request.headers.contains { $0.hasName("host") }
        let authorizationValue = try withAuthorization(for: request, at: time, payload: payload) {
            String(decoding: $0, as: UTF8.self)
        }
        if !hadHost { request.headers.append(HTTPHeader("Host", request.hostHeaderValue)) }
        request.headers.append(HTTPHeader("X-Amz-Date", time.amzDate))
        if let token = credentials.securityToken {
            request.headers.append(HTTPHeader("X-Amz-Security-Token", token.value))
        }
        if options.addsContentSHA256Header {
            request.headers.append(HTTPHeader("X-Amz-Content-SHA256", payload.value))
        }
        request.headers.append(HTTPHeader("Authorization", authorizationValue))
    }

    /// The `Authorization` value for `request` as ``sign(_:at:payload:)`` would set it, handed to `body`
    /// as bytes in the signer's own buffer (valid only inside `body`). The hot path: no allocation once
    /// the signer is warm. The caller must send the same extra headers ``sign(_:at:payload:)`` adds.
    public func withAuthorization<R>(for request: SigningRequest, at time: SigningTime, payload: SigV4Payload,
                                     _ body: (UnsafeBufferPointer<UInt8>) -> R) throws(SigningError) -> R {
        try request.validate()
        let signsToken = credentials.securityToken != nil && options.signsSecurityToken
        builder.reset()
        let addsContentHash = options.addsContentSHA256Header
        let hasToken = credentials.securityToken != nil
        builder.collectHeaders(of: request) { names, range in
            if SigV4UnsignedHeaders.contains(names, range) || names.rangeEquals(range, "x-amz-date") { return false }
            if hasToken && names.rangeEquals(range, "x-amz-security-token") { return false }
            if addsContentHash && names.rangeEquals(range, "x-amz-content-sha256") { return false }
            return true
        }
        if !builder.hasHost {
            builder.addSyntheticHeader("host") { Self.appendHostValue(of: request, to: &$0) }
        }
        builder.addSyntheticHeader("x-amz-date") { $0.appendAmzDate(time) }
        if signsToken {
            builder.addSyntheticHeader("x-amz-security-token") { credentials.securityToken!.append(to: &$0) }
        }
        if addsContentHash {
            builder.addSyntheticHeader("x-amz-content-sha256") { payload.append(to: &$0) }
        }
        builder.sortHeaders()
        builder.build(request: request, pathRule: options.pathRule, query: request.query, excludingSignature: false,
                      payload: payload)

        authorization.removeAll(keepingCapacity: true)
        authorization.appendLiteral("AWS4-HMAC-SHA256 Credential=")
        authorization.appendUTF8(credentials.accessKeyID)
        authorization.append(UInt8(ascii: "/"))
        appendScope(time, to: &authorization)
        authorization.appendLiteral(", SignedHeaders=")
        authorization.append(contentsOf: builder.signedHeaders)
        authorization.appendLiteral(", Signature=")
        appendSignature(at: time, to: &authorization)
        return authorization.withUnsafeBufferPointer(body)
    }

    // MARK: Presigned form

    /// Presigns `request`: appends `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
    /// `X-Amz-SignedHeaders`, `X-Amz-Security-Token` (with a token) and `X-Amz-Signature` to its query.
    /// Headers on the request are signed and must be sent with the URL. S3 presigned URLs normally use
    /// `payload: .unsigned`.
    public func presign(_ request: inout SigningRequest, at time: SigningTime, expires: Int,
                        payload: SigV4Payload = .unsigned) throws(SigningError) {
        guard (1...604_800).contains(expires) else { throw .presignExpiryOutOfRange(seconds: expires) }
        try request.validate()
        builder.reset()
        builder.collectHeaders(of: request) { names, range in !SigV4UnsignedHeaders.contains(names, range) }
        if !builder.hasHost {
            builder.addSyntheticHeader("host") { Self.appendHostValue(of: request, to: &$0) }
        }
        builder.sortHeaders()

        var query = [UInt8]()
        query.reserveCapacity(request.query.utf8.count + 1024)
        query.appendUTF8(request.query)
        if !query.isEmpty { query.append(UInt8(ascii: "&")) }
        query.appendLiteral("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=")
        var credential = [UInt8]()
        credential.appendUTF8(credentials.accessKeyID)
        credential.append(UInt8(ascii: "/"))
        appendScope(time, to: &credential)
        PercentEncoding.append(credential, to: &query, keepingSlash: false)
        query.appendLiteral("&X-Amz-Date=")
        query.appendAmzDate(time)
        query.appendLiteral("&X-Amz-Expires=")
        query.appendUTF8(String(expires))
        query.appendLiteral("&X-Amz-SignedHeaders=")
        PercentEncoding.append(builder.signedHeaders, to: &query, keepingSlash: false)
        var tokenParameter = [UInt8]()
        if let token = credentials.securityToken {
            var value = [UInt8]()
            token.append(to: &value)
            tokenParameter.appendLiteral("&X-Amz-Security-Token=")
            PercentEncoding.append(value, to: &tokenParameter, keepingSlash: false)
            if options.signsSecurityToken { query.append(contentsOf: tokenParameter) }
        }
        let signedQuery = String(decoding: query, as: UTF8.self)
        builder.build(request: request, pathRule: options.pathRule, query: signedQuery, excludingSignature: false,
                      payload: payload)
        if !options.signsSecurityToken { query.append(contentsOf: tokenParameter) }
        query.appendLiteral("&X-Amz-Signature=")
        appendSignature(at: time, to: &query)
        request.query = String(decoding: query, as: UTF8.self)
    }

    // MARK: Inspection

    /// The canonical request of the last signature (for debugging and tests).
    public var lastCanonicalRequest: String { String(decoding: builder.canonicalRequest, as: UTF8.self) }
    /// The string to sign of the last signature (for debugging and tests).
    public var lastStringToSign: String { String(decoding: stringToSign, as: UTF8.self) }

    // MARK: Shared steps

    private func appendScope(_ time: SigningTime, to output: inout [UInt8]) {
        output.appendDateStamp(time)
        output.append(UInt8(ascii: "/"))
        output.appendUTF8(region)
        output.append(UInt8(ascii: "/"))
        output.appendUTF8(service)
        output.appendLiteral("/aws4_request")
    }

    /// Hashes the built canonical request into the string to sign, signs it with the day's key and appends
    /// the hex signature to `output`.
    private func appendSignature(at time: SigningTime, to output: inout [UInt8]) {
        stringToSign.removeAll(keepingCapacity: true)
        stringToSign.appendLiteral("AWS4-HMAC-SHA256\n")
        stringToSign.appendAmzDate(time)
        stringToSign.append(UInt8(ascii: "\n"))
        appendScope(time, to: &stringToSign)
        stringToSign.append(UInt8(ascii: "\n"))
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { digest in
            var hash = SHA256State()
            builder.canonicalRequest.withUnsafeBytes { hash.update($0) }
            hash.finish(into: digest.baseAddress!)
            ByteEncoding.appendLowerHex(UnsafeRawBufferPointer(digest), to: &stringToSign)
            let key = signingKey(for: time)
            stringToSign.withUnsafeBytes { key.authenticate($0, into: digest.baseAddress!) }
            ByteEncoding.appendLowerHex(UnsafeRawBufferPointer(digest), to: &output)
        }
    }

    /// The day's signing key, derived once per UTC day (and per credentials, region, service: the signer
    /// holds one of each).
    private func signingKey(for time: SigningTime) -> HMACKey<SHA256State> {
        let day = time.secondsSince1970 / 86_400
        if day != signingKeyDay {
            signingKey = SigV4KeyDerivation.signingKey(secretKey: secretKey, time: time, region: region, service: service)
            signingKeyDay = day
        }
        return signingKey
    }

    private static func appendHostValue(of request: SigningRequest, to output: inout [UInt8]) {
        let defaultPort: StaticString = request.scheme == "https" ? ":443" : ":80"
        let start = output.count
        request.authority.withUTF8Bytes { bytes in
            for byte in bytes { output.append(ASCII.lowercased(byte)) }
        }
        let portLength = defaultPort.utf8CodeUnitCount
        if output.count - start > portLength, output.rangeEquals((output.count - portLength)..<output.count, defaultPort) {
            output.removeLast(portLength)
        }
    }
}

/// The SigV4 key schedule: `AWS4`+secret → date → region → service → `aws4_request`.
enum SigV4KeyDerivation {
    static func signingKey(secretKey: HMACKey<SHA256State>, time: SigningTime, region: String, service: String)
        -> HMACKey<SHA256State>
    {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { key in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { stamp in
                let zero = UInt8(ascii: "0")
                stamp[0] = zero + UInt8(time.year / 1000)
                stamp[1] = zero + UInt8(time.year / 100 % 10)
                stamp[2] = zero + UInt8(time.year / 10 % 10)
                stamp[3] = zero + UInt8(time.year % 10)
                stamp[4] = zero + UInt8(time.month / 10)
                stamp[5] = zero + UInt8(time.month % 10)
                stamp[6] = zero + UInt8(time.day / 10)
                stamp[7] = zero + UInt8(time.day % 10)
                secretKey.authenticate(UnsafeRawBufferPointer(stamp), into: key.baseAddress!)
            }
            func step(_ component: String) {
                let stepKey = HMACKey<SHA256State>(key: UnsafeRawBufferPointer(key))
                component.withUTF8Bytes { stepKey.authenticate(UnsafeRawBufferPointer($0), into: key.baseAddress!) }
            }
            step(region)
            step(service)
            step("aws4_request")
            return HMACKey<SHA256State>(key: UnsafeRawBufferPointer(key))
        }
    }

    static func signingKey(secretAccessKey: String, time: SigningTime, region: String, service: String)
        -> HMACKey<SHA256State>
    {
        signingKey(secretKey: HMACKey(key: "AWS4" + secretAccessKey), time: time, region: region, service: service)
    }
}

extension SecurityToken {
    /// Appends ``value`` without building the joined String.
    func append(to output: inout [UInt8]) {
        switch self {
        case .session(let token):
            output.appendUTF8(token)
        case .devPay(let userToken, let productToken):
            output.appendUTF8(userToken)
            output.append(UInt8(ascii: ","))
            output.appendUTF8(productToken)
        }
    }
}

extension SigV4Payload {
    func append(to output: inout [UInt8]) {
        switch self {
        case .unsigned: output.appendLiteral("UNSIGNED-PAYLOAD")
        case .sha256Hex(let hex): output.appendUTF8(hex)
        }
    }
}
