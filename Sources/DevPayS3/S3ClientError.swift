/// A request the S3 client refused to send, or an answer it could not understand.
///
/// Service answers with an error status are ``S3ServiceError``; transport failures are the transport's errors.
public enum S3ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The endpoint URL is not `http(s)://host[:port]`.
    case invalidEndpoint(String)
    /// The bucket name breaks S3's rules.
    case invalidBucketName(S3BucketNameError)
    /// The bucket name cannot be a virtual host (it has a dot); use path-style addressing.
    case bucketNotVirtualHostCompatible(String)
    /// An object key is empty, longer than 1 024 bytes of UTF-8, or holds a control character.
    case invalidObjectKey(reason: String)
    /// Signing failed (bad credentials, a header S3 would refuse, …); the reason never holds a secret.
    case signing(String)
    /// A success answer whose XML could not be read.
    case malformedResponse(String)
    /// A local file could not be read or written.
    case file(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidEndpoint(let url): "not an S3 endpoint URL: \(url)"
        case .invalidBucketName(let error): "invalid bucket name: \(error)"
        case .bucketNotVirtualHostCompatible(let name):
            "bucket \(name) has a dot and cannot be a TLS virtual host; use path-style addressing"
        case .invalidObjectKey(let reason): "invalid object key: \(reason)"
        case .signing(let reason): "could not sign the request: \(reason)"
        case .malformedResponse(let reason): "unreadable S3 answer: \(reason)"
        case .file(let path, let errno): "file \(path): error \(errno)"
        }
    }
}
