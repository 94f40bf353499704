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
            The key is checked locally, sent once to ActivateDesktopProduct, and never stored. With a set \
            already stored, this reactivates: the new set replaces the old one only once it is stored. \
            Prints each state transition as it happens; --wait keeps polling until the customer is subscribed.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var product: ProductOptions

    @Option(help: "The activation key the customer got from Amazon (28 characters, A–Z and 2–7).")
    var activationKey: String

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
        let lifecycle = try await product.lifecycle(
            tokenExpiration: tokenExpiration.map { .seconds($0) }, wire: try licenseServiceWire())
        let printer = TransitionPrinter(json: json)
        let before = await lifecycle.settledState()
        let following = await printer.follow(lifecycle)
        do {
            var state = before.holdsCredentialSet
                ? try await lifecycle.reactivate(key: activationKey)
                : try await lifecycle.activate(key: activationKey)
            if wait > 0, state != .subscribed {
                state = await lifecycle.waitForState(timeout: .seconds(wait)) { $0 == .subscribed }
            }
            following.cancel()
            await lifecycle.shutDown()
            let report = StateReport(
                state: state.name.rawValue, description: state.phrase, subscribed: state == .subscribed,
                credentials: try await CredentialSummary.load(from: product.credentialStore()))
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
