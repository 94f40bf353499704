import ArgumentParser
import Foundation

/// `devpay sign`: signs requests given as JSON Lines on standard input, one JSON line out per line in.
/// The contract (shared with outside checkers) is in docs/signing.md.
struct SignCommand: ParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign requests read as JSON Lines from standard input (SigV4, S3 SigV2, License Service SigV1).",
        discussion: """
            Each input line: {"scheme": "s3v4"|"s3v4-presign"|"s3v2"|"s3v2-presign"|"lsv1", "method", "url", \
            "headers": [[name, value], …], "body_base64"?, "unsigned_payload"?, "access_key_id", \
            "secret_access_key", "session_token"?, "user_token"?, "product_token"?, "region"?, "service"?, \
            "time": "YYYY-MM-DDThh:mm:ssZ", "expires"?, "params"?}.
            Each output line: {"method", "url", "headers"} or {"error"}; a bad line never stops the stream.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let signer = SignLineProcessor()
        while let line = readLine(strippingNewline: true) {
            let output = signer.process(line)
            FileHandle.standardOutput.write(output)
            FileHandle.standardOutput.write(Data([0x0A]))
        }
    }
}
