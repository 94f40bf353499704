import ArgumentParser
import DevPayKit

/// `devpay status`: where the product's activation stands (never a secret).
struct StatusCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the activation state, Access Key ID, activation time and token expiry.",
        discussion: "With a stored set, the subscription is checked once, as an app does when it opens.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var product: ProductOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let lifecycle = try await product.lifecycle()
        let state = await lifecycle.settledState()
        await lifecycle.shutDown()
        let report = StateReport(
            state: state.name.rawValue, description: state.phrase, subscribed: state == .subscribed,
            credentials: try await CredentialSummary.load(from: product.credentialStore()))
        if json { try JSONOutput.print(report) } else { report.printText() }
    }
}
