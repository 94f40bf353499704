/// How the DevPay user token and product token go on the wire in a header-signed request.
///
/// Both forms sign identically (S3 folds repeated fields into one comma-joined value before signing, in
/// SigV2's CanonicalizedAmzHeaders and SigV4's canonical headers alike), so the choice is about the HTTP
/// stack in between, not about S3. A plain session token (no DevPay pair) is always one field.
public enum S3SecurityTokenFields: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Two `x-amz-security-token` fields, user token first, then product token: the form the DevPay guide
    /// describes ("two additional headers"). The default; libcurl sends repeated fields as given.
    case separate
    /// One `x-amz-security-token: {UserToken}…,{ProductToken}…` field, for HTTP stacks or proxies that merge
    /// or drop repeated fields.
    case combined

    public var description: String { rawValue }
}
