import ArgumentParser
import DevPayEmulator
import Dispatch
import Foundation

/// `devpay emulator start`: serves until interrupted.
struct EmulatorStartCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start the emulator on 127.0.0.1 and serve until Ctrl-C (SIGINT) or SIGTERM."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(help: "Folder for state and objects (survives restarts); in memory when absent.")
    var state: String?

    @Option(help: "Where to write the generated CA certificate (PEM). Default: ca.pem in the state folder, or a temporary folder.")
    var caFile: String?

    @Option(help: "Serve this certificate chain (PEM) instead of generating one; needs --private-key and --ca-file.")
    var certificate: String?

    @Option(help: "Private key (PEM) of --certificate.")
    var privateKey: String?

    @Option(help: "Register a product with this code at start (its token is generated unless --product-token).")
    var productCode: String?

    @Option(help: "The token of --product-code.")
    var productToken: String?

    @Option(help: "At start, sell the product to a new customer with this scenario (subscribed, after:SECONDS, payment-failed, cancelled:ISO8601) and print the activation key.")
    var purchase: ScenarioArgument?

    @Flag(help: "Print what was started as one JSON object.")
    var json = false

    @Option(help: "Front this S3-compatible engine (http(s)://host:port: SeaweedFS, MinIO, Ceph) instead of the in-memory store: requests are checked for the DevPay signature and tokens, then forwarded signed with the engine's credentials ($DEVPAY_S3_BACKEND_ACCESS_KEY_ID, $DEVPAY_S3_BACKEND_SECRET_ACCESS_KEY).")
    var s3Backend: String?

    @Option(help: "The engine's region for SigV4.")
    var s3BackendRegion = "us-east-1"

    func validate() throws {
        if certificate != nil, privateKey == nil || caFile == nil {
            throw ValidationError("--certificate needs --private-key and --ca-file")
        }
    }

    /// The engine of `--s3-backend`, its credentials from the environment (never the command line, which
    /// other users can read).
    private func backend() throws -> EmulatorS3Backend? {
        guard let s3Backend else { return nil }
        guard let url = URL(string: s3Backend), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("--s3-backend must be http(s)://host[:port], not \(s3Backend)")
        }
        let environment = ProcessInfo.processInfo.environment
        guard let accessKeyID = environment["DEVPAY_S3_BACKEND_ACCESS_KEY_ID"],
              let secret = environment["DEVPAY_S3_BACKEND_SECRET_ACCESS_KEY"] else {
            throw ValidationError("--s3-backend needs DEVPAY_S3_BACKEND_ACCESS_KEY_ID and DEVPAY_S3_BACKEND_SECRET_ACCESS_KEY")
        }
        return EmulatorS3Backend(endpoint: url, accessKeyID: accessKeyID, secretAccessKey: secret, region: s3BackendRegion)
    }

    func run() async throws {
        let tls: EmulatorConfiguration.TLSSource = if let certificate, let privateKey, let caFile {
            .files(certificateChain: URL(fileURLWithPath: certificate), privateKey: URL(fileURLWithPath: privateKey),
                   caFile: URL(fileURLWithPath: caFile))
        } else {
            .generate(caFile: caFile.map { URL(fileURLWithPath: $0) })
        }
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(
            port: port, stateFolder: state.map { URL(fileURLWithPath: $0, isDirectory: true) }, tls: tls,
            s3Backend: try backend()))

        var summary: [String: String] = [
            "baseURL": emulator.baseURL.absoluteString, "caFile": emulator.caCertificateFile.path,
            "admin": emulator.baseURL.absoluteString + "admin/",
            // The admin subcommands need it (DEVPAY_EMULATOR_ADMIN_TOKEN); whoever holds it can mint keys.
            "adminToken": emulator.adminToken,
        ]
        if productCode != nil || productToken != nil || purchase != nil {
            let product = try await emulator.registerProduct(productCode: productCode, productToken: productToken)
            summary["productCode"] = product.productCode
            summary["productToken"] = product.productToken
            if let purchase {
                let issued = try await emulator.purchase(productCode: product.productCode, scenario: purchase.scenario)
                summary["customerID"] = issued.customerID
                summary["activationKey"] = issued.activationKey
                summary["activationKeyExpiresAt"] = ISO8601DateFormatter().string(from: issued.expiresAt)
            }
        }
        // Written unbuffered: a script reading the URL from a pipe must see it while the emulator runs.
        var text = ""
        if json {
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys, .withoutEscapingSlashes])
            text = String(decoding: data, as: UTF8.self) + "\n"
        } else {
            text = "DevPay emulator running (Ctrl-C to stop)\n"
            for key in summary.keys.sorted() { text += "  \(key): \(summary[key]!)\n" }
            text += Self.exports(summary)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
        await Self.waitForTerminationSignal()
        await emulator.stop()
    }

    /// The lines a user pastes into another shell to point `devpay` at this emulator (the variables
    /// `ProductOptions` reads, and the activation key `devpay activate` reads from its environment).
    static func exports(_ summary: [String: String]) -> String {
        let variables = [
            ("DEVPAY_ENDPOINT", "baseURL"), ("DEVPAY_CA_FILE", "caFile"),
            ("DEVPAY_PRODUCT_TOKEN", "productToken"), ("DEVPAY_ACTIVATION_KEY", "activationKey"),
        ]
        let lines = variables.compactMap { variable, key in
            summary[key].map { "export \(variable)='\($0.replacingOccurrences(of: "'", with: "'\\''"))'" }
        }
        return "In another shell:\n" + lines.map { "  \($0)\n" }.joined()
    }

    /// Suspends until SIGINT or SIGTERM arrives (both are taken from their default action first).
    private static func waitForTerminationSignal() async {
        let (signals, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        for await _ in signals { break }
        sources.forEach { $0.cancel() }
    }
}
