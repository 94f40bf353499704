import DevPayLicenseService
import DevPaySigning
import Foundation

/// What an S3 request is signed with while the customer is subscribed: the customer's keys, the user token
/// and the product token (sent together as `x-amz-security-token`), and the clock correction to apply to the
/// signing time. `description` redacts the secret and the tokens.
public struct S3RequestCredentials: Sendable, CustomStringConvertible {
    /// The customer's credentials with the DevPay token pair, ready for the SigV2 or SigV4 signer.
    public let signing: SigningCredentials
    /// Add this to the local wall-clock time to get the time S3 expects (corrected after
    /// `RequestTimeTooSkewed`).
    public let clockOffset: Duration

    init(credentials: LifecycleCredentials, productToken: ProductToken, clockOffset: Duration) {
        signing = .devPay(
            accessKeyID: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey,
            userToken: credentials.userToken, productToken: productToken.value)
        self.clockOffset = clockOffset
    }

    /// The time to sign with: `now` corrected by ``clockOffset``.
    public func signingDate(now: Date) -> Date {
        now.addingTimeInterval(clockOffset.timeInterval)
    }

    public var description: String {
        "S3RequestCredentials(accessKeyID: \(signing.accessKeyID), clockOffset: \(clockOffset))"
    }
}
