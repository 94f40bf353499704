// Placeholder until DevPaySigning's verification API is merged (branch `signing`): refuses every signature.
import Foundation

enum LicenseServiceSignature {
    static func matches(parameters: [(name: String, value: String)], signature: String, secretAccessKey: String) -> Bool {
        false
    }
}

enum S3SignatureCheck {
    static func verify(_ authorization: S3Authorization, request: S3SignedRequest, secretAccessKey: String)
        throws(S3Fault)
    {
        throw .signatureDoesNotMatch(details: [])
    }
}
