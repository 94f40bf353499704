import CDevPayOpenSSL
import DevPaySigning

/// The secret every admin request must carry (`Authorization: Bearer <token>`), so another local user cannot
/// drive the emulator (mint activation keys, change subscriptions) just because the port is on loopback.
struct AdminToken: Sendable {
    let value: String

    /// `value`, or 32 bytes from OpenSSL's CSPRNG in hex. Deliberately not drawn from the configuration's
    /// injectable generator: a seeded generator (for repeatable test runs) would make the token predictable.
    init(_ value: String?) throws(EmulatorError) {
        if let value {
            guard !value.isEmpty else { throw .invalidArgument("the admin token must not be empty") }
            self.value = value
            return
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else {
            throw .serverStart("no randomness for the admin token (RAND_bytes failed)")
        }
        self.value = MD5.hex(bytes)  // the signer's one hex encoder; any bytes, despite the type's name
    }

    /// Whether an `Authorization` field value presents this token; compared in constant time.
    func accepts(authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let presented = Array(authorization.utf8.dropFirst("Bearer ".utf8.count))
        let expected = Array(value.utf8)
        guard presented.count == expected.count else { return false }
        return CRYPTO_memcmp(presented, expected, expected.count) == 0
    }
}
