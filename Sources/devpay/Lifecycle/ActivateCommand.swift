import ArgumentParser
import DevPayKit
import DevPayLicenseService
import Foundation

/// `devpay activate`: exchanges an activation key for the customer's credentials and stores them.
struct ActivateCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate",
        abstract: "Activate the product with a customer's activation key and store the credentials.",
        discussion: """
            The key is read from a prompt (typed without echo), from standard input with --activation-key -, \
            or from the option itself (visible to other users: a warning is printed). It is checked locally, \
            sent once to ActivateDesktopProduct, and never stored. Works from any state: with a set already \
            stored (or a damaged or half-written record), this reactivates, and the new set replaces the old \
            one only once it is stored. Prints each state transition as it happens; --wait keeps polling until \
            the customer is subscribed.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var product: ProductOptions

    @Option(help: ArgumentHelp(
        "The activation key the customer got from Amazon (28 characters, A–Z and 2–7), or - to read it from standard input. Default: $DEVPAY_ACTIVATION_KEY, else ask.",
        discussion: "A key given here is visible to other users; prefer the prompt, - or --activation-key-file.",
        valueName: "key|-"))
    var activationKey: String?

    @Option(help: ArgumentHelp("Read the activation key from this file (`-`: stdin).", valueName: "path"))
    var activationKeyFile: String?

    @Option(help: "Ask for a user token that expires after this many seconds (TokenExpiration).")
    var tokenExpiration: Int?

    @Option(help: "Wait up to this many seconds for the subscription (card vetting) before returning.")
    var wait: Int = 0

    @Flag(help: "Print transitions as JSON Lines and the result as one JSON object.")
    var json = false

    @Flag(help: "Send ActivateDesktopProduct as SOAP instead of REST-Query (subscription checks stay REST-Query).")
    var soap = false

    @Option(help: "The License Service API version requests name: 2008-04-28 (default) or 2007-06-05.")
    var apiVersion: String = LicenseServiceAPIVersion.default.rawValue

    func validate() throws {
        if let tokenExpiration, tokenExpiration <= 0 { throw ValidationError("--token-expiration must be positive") }
        if wait < 0 { throw ValidationError("--wait must not be negative") }
        _ = try licenseServiceWire()
    }

    func run() async throws {
        let key = try ActivationKeyInput.read(SecretArgument(
            name: "activation-key", value: activationKey, file: activationKeyFile,
            environmentVariable: "DEVPAY_ACTIVATION_KEY"))
        // No launch check: the state after reading the store is enough to pick the call, offline too.
        let lifecycle = try await product.lifecycle(
            tokenExpiration: tokenExpiration.map { .seconds($0) }, wire: try licenseServiceWire(),
            checksSubscriptionAtLaunch: false)
        let printer = TransitionPrinter(json: json)
        let before = await lifecycle.state
        let following = await printer.follow(lifecycle)
        do {
            // Anything but "unactivated" holds or held a set (a damaged record reads as expired): replace it.
            var state = before == .unactivated
                ? try await lifecycle.activate(key: key)
                : try await lifecycle.reactivate(key: key)
            if wait > 0, state != .subscribed {
                do {
                    state = try await lifecycle.waitUntilSubscribed(timeout: .seconds(wait))
                } catch {
                    state = await lifecycle.state  // not yet: report where it stands
                }
            }
            following.cancel()
            await lifecycle.shutDown()
            let report = StateReport(
                state: state, credentials: try await CredentialSummary.load(from: product.credentialStore()))
            if json { try JSONOutput.print(report) } else { report.printText() }
        } catch {
            following.cancel()
            await lifecycle.shutDown()
            throw error
        }
    }

    /// `--soap` and `--api-version` as the client's settings; an unknown version is a usage error.
    private func licenseServiceWire() throws -> LicenseServiceWire {
        guard let version = LicenseServiceAPIVersion(rawValue: apiVersion) else {
            let known = LicenseServiceAPIVersion.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--api-version must be one of \(known)")
        }
        return LicenseServiceWire(apiVersion: version, activationForm: soap ? .soap : .restQuery)
    }
}
