/// How the SigV4 canonical URI is formed from ``SigningRequest/path``.
public struct SigV4PathRule: Sendable, Hashable {
    /// Remove `.` and `..` segments and empty segments (duplicate slashes), keeping a trailing slash.
    public var normalizesPath: Bool
    /// URI-encode the path (every byte but the unreserved set and `/`). Applied to a path that is already
    /// percent-encoded this is AWS's double encoding for services other than S3.
    public var encodesPath: Bool

    /// A rule from its two steps.
    public init(normalizesPath: Bool, encodesPath: Bool) {
        self.normalizesPath = normalizesPath
        self.encodesPath = encodesPath
    }

    /// S3: the path exactly as sent; no normalisation, no second encoding (`my//key/./x` stays as is).
    public static let s3 = SigV4PathRule(normalizesPath: false, encodesPath: false)
    /// Other AWS services: normalised, then encoded.
    public static let generic = SigV4PathRule(normalizesPath: true, encodesPath: true)
}

/// The payload hash a SigV4 signature commits to.
public enum SigV4Payload: Sendable, Hashable {
    /// `UNSIGNED-PAYLOAD`: the body is not covered (S3 presigned URLs, streaming over TLS).
    case unsigned
    /// A precomputed value: 64 lower-case hex digits of the body's SHA-256 (or another literal the service
    /// defines, such as `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`).
    case sha256Hex(String)

    /// The hash of `body`.
    public static func hash(of body: some Collection<UInt8>) -> SigV4Payload {
        .sha256Hex(SHA256.hexDigest(body))
    }

    /// The hash of an empty body.
    public static let empty = SigV4Payload.sha256Hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    /// The text that goes into the canonical request and `x-amz-content-sha256`.
    public var value: String {
        switch self {
        case .unsigned: "UNSIGNED-PAYLOAD"
        case .sha256Hex(let hex): hex
        }
    }
}

/// What differs between S3 and other services when signing with SigV4.
public struct SigV4Options: Sendable, Hashable {
    /// How the path becomes the canonical URI.
    public var pathRule: SigV4PathRule
    /// Send (and sign) `x-amz-content-sha256` with the payload hash; S3 requires it.
    public var addsContentSHA256Header: Bool
    /// Put the security token in the signature (`SignedHeaders` / canonical query). When false the token is
    /// added after signing, as a few services expect.
    public var signsSecurityToken: Bool

    /// Options from their parts.
    public init(pathRule: SigV4PathRule, addsContentSHA256Header: Bool, signsSecurityToken: Bool = true) {
        self.pathRule = pathRule
        self.addsContentSHA256Header = addsContentSHA256Header
        self.signsSecurityToken = signsSecurityToken
    }

    /// Amazon S3 and S3-compatible services.
    public static let s3 = SigV4Options(pathRule: .s3, addsContentSHA256Header: true)
    /// Other AWS services (STS, the vector suites' `normalize: true` cases).
    public static let generic = SigV4Options(pathRule: .generic, addsContentSHA256Header: false)
}
