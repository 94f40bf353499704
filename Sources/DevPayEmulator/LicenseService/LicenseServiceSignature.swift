import DevPaySigning

/// Checks a License Service request's signature version 1 with DevPaySigning (the same code clients sign
/// with; botocore has no SigV1, so the vector in docs/protocol.md §3 pins both sides).
enum LicenseServiceSignature {
    static func matches(parameters: [(name: String, value: String)], accessKeyID: String, signature: String,
                        secretAccessKey: String) -> Bool {
        guard let signer = try? LicenseServiceSigner(
            credentials: SigningCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey))
        else { return false }
        return signer.isValidSignature(signature, for: parameters.map { QueryParameter($0.name, $0.value) })
    }
}
