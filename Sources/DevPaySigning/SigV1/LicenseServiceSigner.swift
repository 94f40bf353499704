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
        var order = [Int]()
        order.reserveCapacity(parameters.count)
        for index in parameters.indices where parameters[index].name != "Signature" {
            // Insertion sort over indices: a handful of parameters, no copies of the strings.
            var position = order.count
            order.append(index)
            while position > 0, precedes(parameters[index].name, parameters[order[position - 1]].name) {
                order[position] = order[position - 1]
                position -= 1
            }
            order[position] = index
        }
        for index in order {
            buffer.appendUTF8(parameters[index].name)
            buffer.appendUTF8(parameters[index].value)
        }
    }

    /// Case-insensitive order (ASCII letters lower-cased), exact bytes breaking ties.
    private static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.withUTF8Bytes { left in
            rhs.withUTF8Bytes { right in
                for offset in 0..<min(left.count, right.count) {
                    let l = ASCII.lowercased(left[offset])
                    let r = ASCII.lowercased(right[offset])
                    if l != r { return l < r }
                }
                if left.count != right.count { return left.count < right.count }
                return left.lexicographicallyPrecedes(right)
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
