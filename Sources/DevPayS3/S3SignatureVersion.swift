/// Which scheme signs S3 requests.
public enum S3SignatureVersion: Sendable, Hashable, CustomStringConvertible {
    /// S3 signature version 2 (`Authorization: AWS AKID:signature`): the scheme of the DevPay era.
    case v2
    /// Signature Version 4 (`AWS4-HMAC-SHA256`): what current S3 and S3-compatible services expect.
    case v4

    public var description: String {
        switch self {
        case .v2: "SigV2"
        case .v4: "SigV4"
        }
    }
}
