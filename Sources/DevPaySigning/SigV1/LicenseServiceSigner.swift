/// Signature version 1, as the DevPay License Service checks it on `VerifyProductSubscriptionByTokens` and
/// `RefreshUserToken`: every parameter but `Signature`, sorted by name ignoring case, concatenated as
/// `name` + `value` with no separators and no encoding, HMAC-SHA1 with the customer's secret, Base64.
///
/// A signer keeps the secret's precomputed HMAC states and a reusable buffer, so reuse one per credential
/// set. It is a value type: copies share nothing mutable.
public struct LicenseServiceSigner: Sendable {
    /// The customer's Access Key ID, sent as `AWSAccessKeyId`.
    public let accessKeyID: String
    private let key: HMACKey<SHA1State>

    /// A signer for `credentials` (their token, if any, is not used: License Service tokens are parameters).
    public init(credentials: SigningCredentials) throws(SigningError) {
        try credentials.validate()
        accessKeyID = credentials.accessKeyID
        key = HMACKey(key: credentials.secretAccessKey)
    }

    /// The parameters every signed call adds: `AWSAccessKeyId`, `SignatureVersion=1` and `Timestamp`.
    public func signingParameters(at time: SigningTime) -> [QueryParameter] {
        [
            QueryParameter("AWSAccessKeyId", accessKeyID),
            QueryParameter("SignatureVersion", "1"),
            QueryParameter("Timestamp", time.iso8601),
        ]
    }

    /// The string SigV1 signs for `parameters` (any `Signature` parameter is left out). Exposed so a server
    /// (the emulator) can show what it expected.
    public static func stringToSign(for parameters: [QueryParameter]) -> String {
        var buffer = [UInt8]()
        appendStringToSign(parameters, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The Base64 signature of `parameters` (`Signature` itself excluded), not yet URL-encoded.
    public func signature(for parameters: [QueryParameter]) -> String {
        var buffer = [UInt8]()
        buffer.reserveCapacity(1024)
        Self.appendStringToSign(parameters, to: &buffer)
        var output = [UInt8]()
        output.reserveCapacity(28)
        withUnsafeTemporaryAllocation(byteCount: SHA1State.digestSize, alignment: 8) { digest in
            buffer.withUnsafeBytes { key.authenticate($0, into: digest.baseAddress!) }
            ByteEncoding.appendBase64(UnsafeRawBufferPointer(digest), to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `parameters` in their order followed by `Signature`, RFC 3986-encoded and joined with `&`: the query
    /// to send. `parameters` must already hold `AWSAccessKeyId`, `SignatureVersion` and `Timestamp` or
    /// `Expires` (see ``signingParameters(at:)``).
    public func signedQuery(for parameters: [QueryParameter]) -> String {
        let unsigned = parameters.filter { $0.name != "Signature" }
        return QueryParameter.queryString(unsigned + [QueryParameter("Signature", signature(for: unsigned))])
    }

    /// Whether `signature` (Base64, already URL-decoded) is the right one for `parameters`.
    public func isValidSignature(_ signature: String, for parameters: [QueryParameter]) -> Bool {
        constantTimeEquals(Array(self.signature(for: parameters).utf8), Array(signature.utf8))
    }

    private static func appendStringToSign(_ parameters: [QueryParameter], to buffer: inout [UInt8]) {
        let sorted = parameters.filter { $0.name != "Signature" }.sorted { lhs, rhs in
            let order = compareIgnoringCase(lhs.name, rhs.name)
            return order != 0 ? order < 0 : Array(lhs.name.utf8).lexicographicallyPrecedes(rhs.name.utf8)
        }
        for parameter in sorted {
            buffer.append(contentsOf: parameter.name.utf8)
            buffer.append(contentsOf: parameter.value.utf8)
        }
    }

    /// -1, 0 or 1 comparing `lhs` and `rhs` byte by byte with ASCII letters lower-cased.
    private static func compareIgnoringCase(_ lhs: String, _ rhs: String) -> Int {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next().map(ASCII.lowercased), right.next().map(ASCII.lowercased)) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let l?, let r?) where l != r: return l < r ? -1 : 1
            default: continue
            }
        }
    }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
}
