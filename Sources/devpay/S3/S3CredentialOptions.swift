import ArgumentParser
import DevPaySigning
import Foundation

/// Explicit credentials for any S3-compatible service (instead of a DevPay customer's stored set).
struct S3CredentialOptions: ParsableArguments {
    @Option(help: "Access Key ID for an S3-compatible service (instead of --store). Default: $AWS_ACCESS_KEY_ID.")
    var accessKeyID: String?

    @Option(help: ArgumentHelp(
        "Secret Access Key; `-` reads it from stdin. Prefer $AWS_SECRET_ACCESS_KEY or --secret-access-key-file: a command line is visible to other users.",
        valueName: "secret"))
    var secretAccessKey: String?

    @Option(help: ArgumentHelp("Read the Secret Access Key from this file (`-`: stdin).", valueName: "path"))
    var secretAccessKeyFile: String?

    @Option(help: ArgumentHelp(
        "Session token sent as x-amz-security-token; `-` reads it from stdin. Default: $AWS_SESSION_TOKEN.",
        valueName: "token"))
    var sessionToken: String?

    @Option(help: ArgumentHelp("Read the session token from this file (`-`: stdin).", valueName: "path"))
    var sessionTokenFile: String?

    /// The explicit credentials, or `nil` when none were given (DevPay mode).
    func credentials(environment: [String: String]) throws -> SigningCredentials? {
        let accessKeyID = accessKeyID ?? environment["AWS_ACCESS_KEY_ID"]
        let secret = try SecretArgument(
            name: "secret-access-key", value: secretAccessKey, file: secretAccessKeyFile,
            environmentVariable: "AWS_SECRET_ACCESS_KEY").resolve(environment: environment)
        switch (accessKeyID, secret) {
        case (nil, nil):
            return nil
        case (let accessKeyID?, let secret?):
            let token = try SecretArgument(
                name: "session-token", value: sessionToken, file: sessionTokenFile,
                environmentVariable: "AWS_SESSION_TOKEN").resolve(environment: environment)
            return SigningCredentials(
                accessKeyID: accessKeyID, secretAccessKey: secret,
                securityToken: token.map { .session($0) })
        default:
            throw ValidationError("--access-key-id and --secret-access-key go together")
        }
    }
}
