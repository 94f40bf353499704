/// Signature version 1, as the DevPay License Service checks it on `VerifyProductSubscriptionByTokens` and
/// `RefreshUserToken`: every parameter but `Signature`, sorted by name ignoring case, concatenated as
/// `name` + `value` with no separators and no encoding, HMAC-SHA1 with the customer's secret, Base64.
///
/// A signer keeps the secret's precomputed HMAC states, so reuse one per credential set. It is a value type
/// holding no buffers: a signature streams the parameters into a copy of those states.
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
        forEachPieceToSign(of: parameters) { buffer.append(contentsOf: $0) }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The Base64 signature of `parameters` (`Signature` itself excluded), not yet URL-encoded.
    ///
    /// The pieces of the string to sign are fed to the precomputed HMAC state straight from the parameters'
    /// own storage, in sorted order, so nothing is assembled and the only allocation is the returned String.
    public func signature(for parameters: [QueryParameter]) -> String {
        withUnsafeTemporaryAllocation(byteCount: SHA1State.digestSize, alignment: 8) { digest in
            var state = key.begin()
            Self.forEachPieceToSign(of: parameters) { state.update(UnsafeRawBufferPointer($0)) }
            key.finish(&state, into: digest.baseAddress!)
            return String(unsafeUninitializedCapacity: ByteEncoding.base64Count(SHA1State.digestSize)) { output in
                ByteEncoding.writeBase64(UnsafeRawBufferPointer(digest), to: output.baseAddress!)
            }
        }
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

    /// Hands `body` the string to sign piece by piece (`name`, `value`, `name`, …, sorted by name ignoring
    /// case). The names are copied once into scratch memory, where they are compared and sorted; values
    /// are borrowed from the parameters' own UTF-8 storage. So each String is opened once (every opening
    /// costs a retain/release pair, and sorting would otherwise open the names again for each comparison).
    private static func forEachPieceToSign(of parameters: [QueryParameter],
                                           _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        parameters.withUnsafeBufferPointer { parameters in
            let count = parameters.count
            var namesLength = 0
            for index in 0..<count { namesLength += parameters[index].name.utf8.count }
            // Per parameter: where its name starts and ends in `names`; then the sorted order.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * count) { table in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: namesLength) { names in
                    func name(_ index: Int) -> UnsafeBufferPointer<UInt8> {
                        UnsafeBufferPointer(rebasing: names[table[index]..<table[count + index]])
                    }
                    var offset = 0
                    var sorted = 0
                    for index in 0..<count {
                        table[index] = offset
                        parameters[index].name.withUTF8Bytes { bytes in
                            if !bytes.isEmpty, let source = bytes.baseAddress, let scratch = names.baseAddress {
                                (scratch + offset).initialize(from: source, count: bytes.count)
                            }
                            offset += bytes.count
                        }
                        table[count + index] = offset
                        if name(index).equals("Signature") { continue }
                        // Insertion sort over indices: a handful of parameters.
                        var position = sorted
                        while position > 0, precedes(name(index), name(table[2 * count + position - 1])) {
                            table[2 * count + position] = table[2 * count + position - 1]
                            position -= 1
                        }
                        table[2 * count + position] = index
                        sorted += 1
                    }
                    for position in 0..<sorted {
                        let index = table[2 * count + position]
                        body(name(index))
                        parameters[index].value.withUTF8Bytes(body)
                    }
                }
            }
        }
    }

    /// Case-insensitive order (ASCII letters lower-cased), exact bytes breaking ties.
    private static func precedes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        for offset in 0..<min(left.count, right.count) {
            let l = ASCII.lowercased(left[offset])
            let r = ASCII.lowercased(right[offset])
            if l != r { return l < r }
        }
        if left.count != right.count { return left.count < right.count }
        return left.lexicographicallyPrecedes(right)
    }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
}
