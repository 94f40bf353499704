import ArgumentParser
import DevPaySigning
import Foundation

/// Explicit credentials for any S3-compatible service (instead of a DevPay customer's stored set).
struct S3CredentialOptions: ParsableArguments {
    @Option(help: "Access Key ID for an S3-compatible service (instead of --store). Default: $AWS_ACCESS_KEY_ID.")
    var accessKeyID: String?

    @Option(help: ArgumentHelp(
        "Secret Access Key. Prefer $AWS_SECRET_ACCESS_KEY: a command line is visible to other users.",
        valueName: "secret"))
    var secretAccessKey: String?

    @Option(help: "Session token sent as x-amz-security-token. Default: $AWS_SESSION_TOKEN.")
    var sessionToken: String?

    /// The explicit credentials, or `nil` when none were given (DevPay mode).
    func credentials(environment: [String: String]) throws -> SigningCredentials? {
        let accessKeyID = accessKeyID ?? environment["AWS_ACCESS_KEY_ID"]
        let secret = secretAccessKey ?? environment["AWS_SECRET_ACCESS_KEY"]
        switch (accessKeyID, secret) {
        case (nil, nil):
            return nil
        case (let accessKeyID?, let secret?):
            let token = sessionToken ?? environment["AWS_SESSION_TOKEN"]
            return SigningCredentials(
                accessKeyID: accessKeyID, secretAccessKey: secret,
                securityToken: token.map { .session($0) })
        default:
            throw ValidationError("--access-key-id and --secret-access-key go together")
        }
    }
}
