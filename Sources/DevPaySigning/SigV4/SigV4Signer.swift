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
    /// Buffers, passed `inout` to the static signing passes so that a signature makes one exclusive access
    /// to the property and then works on uniquely referenced buffers (no copy-on-write).
    private var workspace = SigV4Workspace()

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
        workspace.setTexts(SigV4CredentialTexts(credentials: credentials, region: region, service: service))
    }

    /// Switches to new credentials (after a reactivation or a token refresh); the key cache is dropped.
    public func update(credentials: SigningCredentials) throws(SigningError) {
        try Self.validate(credentials)
        self.credentials = credentials
        secretKey = HMACKey(key: "AWS4" + credentials.secretAccessKey)
        signingKeyDay = -1
        workspace.setTexts(SigV4CredentialTexts(credentials: credentials, region: region, service: service))
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
        let key = signingKey(for: time)
        Self.writeAuthorization(into: &workspace, for: request, at: time, payload: payload, key: key, options: options)
        // Copied out (one retain) so that `body` may use this signer again without an exclusivity conflict.
        let authorization = workspace.authorization
        return authorization.withUnsafeBufferPointer(body)
    }

    /// The header-form signature, written into `work` (the signer's workspace, borrowed in place for the
    /// whole pass: one exclusive access, no swap with a placeholder).
    private static func writeAuthorization(into work: inout SigV4Workspace, for request: SigningRequest,
                                           at time: SigningTime, payload: SigV4Payload, key: HMACKey<SHA256State>,
                                           options: SigV4Options) {
        let hasToken = work.texts.token != nil
        work.builder.reset()
        work.builder.collectHeaders(of: request, selection: .signing(
            replacesToken: hasToken, replacesContentHash: options.addsContentSHA256Header))
        if !work.builder.hasHost {
            work.builder.addSyntheticHeader("host") { appendHostValue(of: request, to: &$0) }
        }
        work.builder.addSyntheticHeader("x-amz-date") { $0.appendAmzDate(time) }
        if hasToken && options.signsSecurityToken {
            work.builder.addSecurityTokenHeader()
        }
        if options.addsContentSHA256Header {
            work.builder.addSyntheticHeader("x-amz-content-sha256") { payload.append(to: &$0) }
        }
        work.builder.sortHeaders()
        work.builder.collectQuery(request.query, excludingSignature: false)
        work.builder.build(request: request, pathRule: options.pathRule, payload: payload)
        work.computeSignature(key: key, time: time)
        work.writeAuthorization(time: time)
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
        let key = signingKey(for: time)
        request.query = Self.presignedQuery(for: request, into: &workspace, at: time, expires: expires,
                                            payload: payload, key: key, options: options)
    }

    /// The presigned query, built in `work` (the signer's workspace, borrowed in place for the whole pass).
    /// The request is only read here (a borrowed value: reading it never copies it).
    private static func presignedQuery(for request: SigningRequest, into work: inout SigV4Workspace,
                                       at time: SigningTime, expires: Int, payload: SigV4Payload,
                                       key: HMACKey<SHA256State>, options: SigV4Options) -> String {
        work.builder.reset()
        work.builder.collectHeaders(of: request, selection: .presigning)
        if !work.builder.hasHost {
            work.builder.addSyntheticHeader("host") { Self.appendHostValue(of: request, to: &$0) }
        }
        work.builder.sortHeaders()
        work.builder.collectQuery(request.query, excludingSignature: false)

        // The URL's query is written first: the request's own, then the parameters in their usual order,
        // already canonical (encoded with the unreserved set). The canonical query borrows the parameter
        // values from it, so each is encoded once and never decoded and re-encoded.
        var url = work.authorization
        work.authorization = ReusableBytes()
        defer { work.authorization = url }
        url.removeAll()
        let values = writePresigningParameters(into: &url, query: request.query, texts: work.texts,
                                               signedHeaders: work.builder.signedHeaders, time: time,
                                               expires: expires)
        url.withUnsafeBufferPointer { url in
            work.builder.addQueryParameter("X-Amz-Algorithm", UnsafeBufferPointer(rebasing: url[values.algorithm]))
            work.builder.addQueryParameter("X-Amz-Credential", UnsafeBufferPointer(rebasing: url[values.credential]))
            work.builder.addQueryParameter("X-Amz-Date", UnsafeBufferPointer(rebasing: url[values.date]))
            work.builder.addQueryParameter("X-Amz-Expires", UnsafeBufferPointer(rebasing: url[values.expires]))
            work.builder.addQueryParameter("X-Amz-SignedHeaders",
                                           UnsafeBufferPointer(rebasing: url[values.signedHeaders]))
            if options.signsSecurityToken, let token = values.token {
                work.builder.addQueryParameter("X-Amz-Security-Token", UnsafeBufferPointer(rebasing: url[token]))
            }
        }
        work.builder.build(request: request, pathRule: options.pathRule, payload: payload)
        work.computeSignature(key: key, time: time)
        url.write(maxCount: 17 + work.signature.count) { out in
            out.write("&X-Amz-Signature=")
            out.write(work.signature)
        }
        return url.string
    }

    /// Writes the request's own query followed by the presigning parameters (their values already
    /// canonical) and returns where each value sits. Static, over borrowed texts, so that writing
    /// retains none of the buffers it reads.
    private static func writePresigningParameters(into url: inout ReusableBytes, query: String,
                                                  texts: borrowing SigV4CredentialTexts,
                                                  signedHeaders: borrowing ReusableBytes, time: SigningTime,
                                                  expires: Int) -> PresignedValues {
        var values = PresignedValues()
        let encodedTokenLength = texts.encodedToken?.count ?? 0
        let bound = query.utf8.count + 1 + 50 + texts.encodedCredentialLength + 12 + 16 + 15 + 20 + 21
            + 3 * signedHeaders.count + 23 + encodedTokenLength + 17 + 64
        url.write(maxCount: bound) { out in
            out.write(query)
            if out.count > 0 { out.write(UInt8(ascii: "&")) }
            out.write("X-Amz-Algorithm=")
            values.algorithm = out.recording { $0.write("AWS4-HMAC-SHA256") }
            out.write("&X-Amz-Credential=")
            values.credential = out.recording { texts.writeEncodedCredential(time, to: &$0) }
            out.write("&X-Amz-Date=")
            values.date = out.recording { out in time.withAmzDateBytes { out.write($0) } }
            out.write("&X-Amz-Expires=")
            values.expires = out.recording { $0.writeDecimal(expires) }
            out.write("&X-Amz-SignedHeaders=")
            values.signedHeaders = out.recording { out in
                signedHeaders.withUnsafeBufferPointer {
                    PercentEncoding.write($0, to: &out, keepingSlash: false)
                }
            }
            if let token = texts.encodedToken {
                out.write("&X-Amz-Security-Token=")
                values.token = out.recording { $0.write(token) }
            }
        }
        return values
    }

    /// Where each presigning parameter's value sits in the URL's query.
    private struct PresignedValues {
        var algorithm = 0..<0
        var credential = 0..<0
        var date = 0..<0
        var expires = 0..<0
        var signedHeaders = 0..<0
        var token: Range<Int>?
    }

    // MARK: Inspection

    /// The canonical request of the last signature (for debugging and tests).
    public var lastCanonicalRequest: String { workspace.builder.canonicalRequest.string }
    /// The string to sign of the last signature (for debugging and tests).
    public var lastStringToSign: String { workspace.stringToSign.string }

    /// The day's signing key, derived once per UTC day (and per credentials, region, service: the signer
    /// holds one of each).
    func signingKey(for time: SigningTime) -> HMACKey<SHA256State> {
        let day = time.secondsSince1970 / 86_400
        if day != signingKeyDay {
            signingKey = SigV4KeyDerivation.signingKey(secretKey: secretKey, time: time, region: region, service: service)
            signingKeyDay = day
            workspace.forgetStringToSignPrefix()
        }
        return signingKey
    }

    private static func appendHostValue(of request: SigningRequest, to output: inout [UInt8]) {
        let defaultPort: StaticString = request.scheme == "https" ? ":443" : ":80"
        let start = output.count
        request.authority.withUTF8Bytes { bytes in
            if bytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
                for byte in bytes { output.append(ASCII.lowercased(byte)) }
            } else {
                output.append(contentsOf: bytes)
            }
        }
        let portLength = defaultPort.utf8CodeUnitCount
        if output.count - start > portLength, output.rangeEquals((output.count - portLength)..<output.count, defaultPort) {
            output.removeLast(portLength)
        }
    }
}

/// The SigV4 key schedule: `AWS4`+secret → date → region → service → `aws4_request`.
///
/// Every step is an HMAC of a short message (date, region, service, `aws4_request`: each fits one block
/// with its padding) under a fresh 32-byte key, so it costs four compressions (the key's two pads, the
/// message block, the outer block) laid out by ``HMACKey`` itself; the first step starts from the signer's
/// precomputed `AWS4`+secret states (two). 16 compressions in all, the new key's pads included.
enum SigV4KeyDerivation {
    static func signingKey(secretKey: HMACKey<SHA256State>, time: SigningTime, region: String, service: String)
        -> HMACKey<SHA256State>
    {
        var key = HashBlockScratch()
        return key.withBytes { key in
            let output = key.baseAddress!
            let derived = UnsafeRawBufferPointer(rebasing: key[0..<32])
            time.withAmzDateBytes { secretKey.authenticate(UnsafeRawBufferPointer(rebasing: $0[0..<8]), into: output) }
            func step(_ message: UnsafeRawBufferPointer) {
                if message.count <= HashBlock.maxMessageInLastBlock {
                    HMACKey<SHA256State>.authenticateOnce(key: derived, message: message, into: output)
                } else {
                    HMACKey<SHA256State>(key: derived).authenticate(message, into: output)
                }
            }
            region.withUTF8Bytes { step(UnsafeRawBufferPointer($0)) }
            service.withUTF8Bytes { step(UnsafeRawBufferPointer($0)) }
            let request: StaticString = "aws4_request"
            step(UnsafeRawBufferPointer(start: request.utf8Start, count: request.utf8CodeUnitCount))
            let signingKey = HMACKey<SHA256State>(key: derived)
            key.initializeMemory(as: UInt8.self, repeating: 0)
            return signingKey
        }
    }

    static func signingKey(secretAccessKey: String, time: SigningTime, region: String, service: String)
        -> HMACKey<SHA256State>
    {
        signingKey(secretKey: HMACKey(key: "AWS4" + secretAccessKey), time: time, region: region, service: service)
    }
}

/// The reusable buffers of one signer.
struct SigV4Workspace {
    var builder: SigV4CanonicalBuilder
    private(set) var texts = SigV4CredentialTexts()
    var stringToSign = ReusableBytes()
    var signature = ReusableBytes()
    var authorization = ReusableBytes()
    /// The HMAC inner state after the string to sign's first lines (`AWS4-HMAC-SHA256`, the time, the
    /// scope), which ``stringToSign`` keeps in its first `prefixLength` bytes. They depend only on the
    /// signing key and the second, so a burst of signatures within one second hashes them (and compresses
    /// their first block) once. `prefixSecond` is -1 when the cache is stale.
    private var prefixState = SHA256State()
    private var prefixLength = 0
    private var prefixSecond: Int64 = -1

    init() {
        builder = SigV4CanonicalBuilder()
        stringToSign = ReusableBytes(capacity: 256)
        signature = ReusableBytes(capacity: 64)
        authorization = ReusableBytes(capacity: 1024)
    }

    /// Switches to the texts of new credentials.
    mutating func setTexts(_ texts: SigV4CredentialTexts) {
        self.texts = texts
        builder.securityToken = texts.token ?? []
    }

    /// Drops the cached string-to-sign prefix: the signing key changed.
    mutating func forgetStringToSignPrefix() {
        prefixSecond = -1
    }

    /// Hashes the built canonical request into the string to sign and puts the hex signature in
    /// ``signature``. `key` must be the key the cached prefix was computed with (see
    /// ``forgetStringToSignPrefix()``).
    mutating func computeSignature(key: HMACKey<SHA256State>, time: SigningTime) {
        if prefixSecond != time.secondsSince1970 {
            let scopeSuffix = texts.scopeSuffix
            stringToSign.removeAll()
            stringToSign.write(maxCount: 17 + 16 + 1 + 8 + scopeSuffix.count + 1) { out in
                out.write("AWS4-HMAC-SHA256\n")
                time.withAmzDateBytes { date in
                    out.write(date)
                    out.write(UInt8(ascii: "\n"))
                    out.write(UnsafeRawBufferPointer(rebasing: date[0..<8]))
                }
                out.write(scopeSuffix)
                out.write(UInt8(ascii: "\n"))
            }
            prefixState = key.begin()
            stringToSign.withUnsafeBufferPointer { prefixState.update(UnsafeRawBufferPointer($0)) }
            prefixLength = stringToSign.count
            prefixSecond = time.secondsSince1970
        } else {
            stringToSign.removeAll(keepingFirst: prefixLength)
        }
        // The two outputs move into locals and the canonical request is hashed through a static function
        // that only borrows it, so no buffer is retained for the closures below.
        var stringToSign = self.stringToSign
        self.stringToSign = ReusableBytes()
        var signature = self.signature
        self.signature = ReusableBytes()
        var scratch = HashBlockScratch()
        Self.hash(builder.canonicalRequest, into: &scratch)
        let prefixLength = prefixLength
        var state = prefixState
        scratch.withBytes { scratch in
            let digest = UnsafeRawBufferPointer(rebasing: scratch[0..<32])
            stringToSign.write(maxCount: 64) { $0.writeLowerHex(digest) }
            stringToSign.withUnsafeBufferPointer { bytes in
                state.update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[prefixLength...])))
            }
            key.finish(&state, into: scratch.baseAddress!)
            signature.removeAll()
            signature.write(maxCount: 64) { $0.writeLowerHex(digest) }
        }
        self.stringToSign = stringToSign
        self.signature = signature
    }

    /// SHA-256 of `bytes` into the first 32 bytes of `output`.
    private static func hash(_ bytes: borrowing ReusableBytes, into output: inout HashBlockScratch) {
        var hash = SHA256State()
        bytes.withUnsafeBufferPointer { hash.update(UnsafeRawBufferPointer($0)) }
        output.withBytes { hash.finish(into: $0.baseAddress!) }
    }

    /// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` into ``authorization``.
    mutating func writeAuthorization(time: SigningTime) {
        let prefix = texts.authorizationPrefix
        let scopeSuffix = texts.scopeSuffix
        let signedHeaders = builder.signedHeaders
        let signature = self.signature
        authorization.removeAll()
        let bound = prefix.count + 8 + scopeSuffix.count + 16 + signedHeaders.count + 12 + signature.count
        authorization.write(maxCount: bound) { out in
            out.write(prefix)
            time.withAmzDateBytes { out.write(UnsafeRawBufferPointer(rebasing: $0[0..<8])) }
            out.write(scopeSuffix)
            out.write(", SignedHeaders=")
            out.write(signedHeaders)
            out.write(", Signature=")
            out.write(signature)
        }
    }
}

/// The parts of the signed texts that depend only on the credentials and the scope, encoded once per
/// credential set rather than once per signature.
struct SigV4CredentialTexts {
    /// `AWS4-HMAC-SHA256 Credential={access key ID}/`.
    private(set) var authorizationPrefix: [UInt8] = []
    /// `/{region}/{service}/aws4_request`.
    private(set) var scopeSuffix: [UInt8] = []
    /// The `x-amz-security-token` value, if any.
    private(set) var token: [UInt8]?
    /// `{access key ID}/` percent-encoded, as `X-Amz-Credential` starts.
    private var encodedAccessKeyID: [UInt8] = []
    /// ``scopeSuffix`` percent-encoded.
    private var encodedScopeSuffix: [UInt8] = []
    /// ``token`` percent-encoded (the `X-Amz-Security-Token` value).
    private(set) var encodedToken: [UInt8]?

    init() {}

    init(credentials: SigningCredentials, region: String, service: String) {
        authorizationPrefix.appendLiteral("AWS4-HMAC-SHA256 Credential=")
        authorizationPrefix.appendUTF8(credentials.accessKeyID)
        authorizationPrefix.append(UInt8(ascii: "/"))
        scopeSuffix.append(UInt8(ascii: "/"))
        scopeSuffix.appendUTF8(region)
        scopeSuffix.append(UInt8(ascii: "/"))
        scopeSuffix.appendUTF8(service)
        scopeSuffix.appendLiteral("/aws4_request")
        PercentEncoding.append(Array(credentials.accessKeyID.utf8) + [UInt8(ascii: "/")], to: &encodedAccessKeyID,
                               keepingSlash: false)
        PercentEncoding.append(scopeSuffix, to: &encodedScopeSuffix, keepingSlash: false)
        if let securityToken = credentials.securityToken {
            var value = [UInt8]()
            securityToken.append(to: &value)
            var encoded = [UInt8]()
            PercentEncoding.append(value, to: &encoded, keepingSlash: false)
            token = value
            encodedToken = encoded
        }
    }

    /// Bytes in the `X-Amz-Credential` value.
    var encodedCredentialLength: Int { encodedAccessKeyID.count + 8 + encodedScopeSuffix.count }

    /// The `X-Amz-Credential` value, percent-encoded: `{access key ID}%2F{YYYYMMDD}%2F{region}%2F…`.
    func writeEncodedCredential(_ time: SigningTime, to output: inout ByteWriter) {
        output.write(encodedAccessKeyID)
        time.withAmzDateBytes { output.write(UnsafeRawBufferPointer(rebasing: $0[0..<8])) }
        output.write(encodedScopeSuffix)
    }
}

extension ByteWriter {
    /// `value` in decimal (`value` ≥ 0; at most 19 bytes).
    mutating func writeDecimal(_ value: Int) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        while divisor > 0 {
            write(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
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
