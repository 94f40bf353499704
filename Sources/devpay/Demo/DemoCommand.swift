import ArgumentParser
import DevPayEmulator
import DevPayKit
import DevPayS3
import Foundation

/// `devpay demo`: the whole DevPay story on an in-process emulator, in well under a minute.
struct DemoCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Buy, activate, use S3, let the token expire and reactivate, against an in-process emulator.",
        discussion: """
            Starts the License Service + S3 emulator on 127.0.0.1 over HTTPS (a fresh CA), registers a product, \
            buys it for a new customer whose card takes a few seconds to vet, activates with the key, shows each \
            state transition as it happens, uploads, lists and downloads an object with DevPay-signed S3 requests, \
            waits for the user token's TokenExpiration, and reactivates with a fresh key. Keys and tokens are \
            never printed. Non-interactive; exits 0 when every step did what the protocol says.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Seconds of card vetting before the customer is subscribed.")
    var vettingSeconds = 3

    @Option(help: "TokenExpiration asked for at activation, in seconds.")
    var tokenLifetime = 8

    @Option(help: "Signature version of the S3 requests: 2 or 4.")
    var signatureVersion: SignatureVersionArgument = .v4

    @Option(help: "Keep the credential store here (default: a temporary folder, removed at the end).")
    var store: String?

    func validate() throws {
        guard (0...60).contains(vettingSeconds) else { throw ValidationError("--vetting-seconds must be 0…60") }
        guard (2...60).contains(tokenLifetime) else { throw ValidationError("--token-lifetime must be 2…60") }
    }

    func run() async throws {
        let story = try await DemoStory(
            vetting: vettingSeconds, tokenLifetime: tokenLifetime, signatureVersion: signatureVersion.version,
            storeFolder: store)
        do {
            try await story.run()
            await story.finish()
        } catch {
            await story.finish()
            throw error
        }
    }
}
