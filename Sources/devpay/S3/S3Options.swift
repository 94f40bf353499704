import ArgumentParser
import DevPayS3
import Foundation

/// The options every `devpay s3` subcommand shares.
struct S3Options: ParsableArguments {
    @OptionGroup var connection: S3ConnectionOptions
    @OptionGroup var credentials: S3CredentialOptions
    @OptionGroup var product: S3ProductOptions

    @Flag(help: "Print data as JSON on stdout.")
    var json = false

    /// The S3 access these options describe.
    func access() async throws -> any S3Access {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = try credentials.credentials(environment: environment) {
            let client = S3Client(
                configuration: try connection.configuration(endpoint: connection.endpoint),
                transport: connection.transport(), credentials: explicit)
            return ExplicitS3Access(client: client)
        }
        return try await devPayAccess()
    }

    /// DevPay mode: the lifecycle of the product, with the License Service at `--license-service`, else at
    /// the S3 `--endpoint` (the emulator serves both), trusting `--license-ca-file`, else `--ca-file`.
    private func devPayAccess() async throws -> any S3Access {
        var product = product.settings
        guard try product.resolvedProductToken() != nil else {
            throw ValidationError("""
                pass --product-token (DevPay credentials from the store) or --access-key-id and \
                --secret-access-key (any S3-compatible service)
                """)
        }
        if product.resolvedLicenseService == nil { product.licenseService = connection.endpoint }
        if product.resolvedCAFile == nil { product.caFile = connection.caFile }
        let lifecycle = try await product.lifecycle()
        _ = await lifecycle.settledState()
        return lifecycle.s3Client(
            configuration: try connection.configuration(endpoint: connection.endpoint ?? product.resolvedLicenseService),
            transport: connection.transport(fallbackCAFile: product.resolvedCAFile))
    }

    /// Runs `operation` with the access, and releases it afterwards.
    func withAccess<Value: Sendable>(_ operation: @escaping @Sendable (S3Client) async throws -> Value) async throws -> Value {
        let access = try await access()
        do {
            let value = try await access.run(operation)
            await access.close()
            return value
        } catch {
            await access.close()
            throw error
        }
    }
}

/// Prints `value` as one line of JSON (sorted keys) on stdout.
/// Every command's `--json` goes through here, so every date prints as ISO 8601 (as the text forms do).
enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
    }
}
