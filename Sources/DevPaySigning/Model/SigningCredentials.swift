/// The token sent with a request as `x-amz-security-token` (SigV2, SigV4 header) or `X-Amz-Security-Token`
/// (SigV4 presigned).
public enum SecurityToken: Sendable, Hashable {
    /// An STS or S3-compatible session token, sent as is.
    case session(String)
    /// A DevPay customer's user token and the product's token, sent and signed as one value
    /// `{UserToken}…,{ProductToken}…` (user token first), which S3 reads exactly like two header fields.
    case devPay(userToken: String, productToken: String)

    /// The value that goes on the wire and into the signature.
    public var value: String {
        switch self {
        case .session(let token): token
        case .devPay(let userToken, let productToken): userToken + "," + productToken
        }
    }
}

/// An access key pair with an optional security token. Secrets and tokens never appear in `description`,
/// `debugDescription` or a mirror (`dump`, debugger summaries): only the access key ID does.
public struct SigningCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The public half, e.g. `AKIDEXAMPLE`; sent in the clear.
    public var accessKeyID: String
    /// The secret half; only ever used as HMAC key material.
    public var secretAccessKey: String
    /// A session token or the DevPay token pair, if any.
    public var securityToken: SecurityToken?

    /// Credentials with an optional token.
    public init(accessKeyID: String, secretAccessKey: String, securityToken: SecurityToken? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.securityToken = securityToken
    }

    /// A DevPay customer's credentials: the customer's key pair, user token and the product token.
    public static func devPay(accessKeyID: String, secretAccessKey: String, userToken: String, productToken: String)
        -> SigningCredentials
    {
        SigningCredentials(
            accessKeyID: accessKeyID, secretAccessKey: secretAccessKey,
            securityToken: .devPay(userToken: userToken, productToken: productToken))
    }

    /// Throws when a part a signature needs is empty.
    func validate() throws(SigningError) {
        if accessKeyID.isEmpty { throw .missingCredential(.accessKeyID) }
        if secretAccessKey.isEmpty { throw .missingCredential(.secretAccessKey) }
    }

    public var description: String {
        let token: String =
            switch securityToken {
            case nil: "none"
            case .session: "session <redacted>"
            case .devPay: "DevPay user+product <redacted>"
            }
        return "SigningCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, token: \(token))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "secretAccessKey": "<redacted>",
                                "securityToken": securityToken == nil ? "none" : "<redacted>"])
    }
}
