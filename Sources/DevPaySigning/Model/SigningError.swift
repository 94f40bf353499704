/// Why a request could not be signed. Cases carry what a caller needs to fix the input and never a secret,
/// a token or a signature.
public enum SigningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL is not an absolute `http`/`https` URL with a host, or holds bytes a request line cannot carry
    /// (spaces, control characters, non-ASCII, a fragment).
    case malformedURL(reason: String)
    /// The method is empty or not an HTTP token.
    case invalidMethod
    /// A header name is empty or holds a character outside RFC 9110's token set.
    case invalidHeaderName(String)
    /// A header value holds non-ASCII bytes or control characters (line folding excepted).
    case invalidHeaderValue(headerName: String)
    /// A credential part or scope component is missing or empty.
    case missingCredential(CredentialPart)
    /// A presigned SigV4 URL must expire within 1 second to 7 days (604 800 s).
    case presignExpiryOutOfRange(seconds: Int)
    /// The time is not `YYYY-MM-DDThh:mm:ssZ` or is outside years 1970–9999.
    case invalidTime
    /// A DevPay user token was given without a product token, or the other way round.
    case incompleteDevPayTokens
    /// A query-string (presigned) S3 SigV2 URL would carry the security token; pass
    /// `allowingTokenInURL: true` to accept that.
    case tokenInURLNotAllowed
    /// A received `Authorization` header or presigned query is not a well-formed signature claim.
    case malformedAuthorization(reason: String)
    /// A chunked upload's chunk size is below S3's 8 KiB minimum, or its length is negative.
    case invalidChunking(chunkSize: Int, decodedContentLength: Int)

    /// Parts of the signing input that may be missing.
    public enum CredentialPart: String, Sendable, Hashable {
        case accessKeyID = "access key ID"
        case secretAccessKey = "secret access key"
        case region
        case service
    }

    public var description: String {
        switch self {
        case .malformedURL(let reason): "malformed URL: \(reason)"
        case .invalidMethod: "invalid HTTP method"
        case .invalidHeaderName(let name): "invalid header name \(Self.quoted(name))"
        case .invalidHeaderValue(let name): "header \(Self.quoted(name)) has a non-ASCII or control character in its value"
        case .missingCredential(let part): "missing \(part.rawValue)"
        case .presignExpiryOutOfRange(let seconds): "presign expiry \(seconds) s is outside 1...604800 s (7 days)"
        case .invalidTime: "time must be YYYY-MM-DDThh:mm:ssZ between 1970 and 9999"
        case .incompleteDevPayTokens: "DevPay needs both a user token and a product token"
        case .tokenInURLNotAllowed: "a presigned SigV2 URL would expose the security token; opt in explicitly"
        case .malformedAuthorization(let reason): "malformed authorization: \(reason)"
        case .invalidChunking(let size, let length):
            "chunked upload of \(length) bytes in chunks of \(size): chunks must be at least 8192 bytes, the length at least 0"
        }
    }

    /// A header name made printable: bytes outside visible ASCII are shown as `\u{…}` escapes.
    private static func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : $0.escaped(asASCII: true) }.joined() + "\""
    }
}
