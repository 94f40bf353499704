import ArgumentParser
import DevPayKit

/// `devpay status`: where the product's activation stands (never a secret).
struct StatusCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the activation state, Access Key ID, activation time and token expiry.",
        discussion: """
            Answers from the credential store alone, without network: with a stored set the state is \
            subscriptionUnknown (not checked). --verify checks the subscription now, as an app does when it \
            opens, within --timeout seconds.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var product: ProductOptions
    @OptionGroup var check: ForegroundCheckOptions

    @Flag(help: "Check the subscription now (VerifyProductSubscriptionByTokens).")
    var verify = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let lifecycle = try await product.lifecycle(checksSubscriptionAtLaunch: verify, callTimeout: check.deadline)
        let state: ActivationState
        do {
            state = verify ? try await lifecycle.checkedState() : await lifecycle.state
        } catch {
            await lifecycle.shutDown()
            throw error
        }
        await lifecycle.shutDown()
        if state == .restoring {
            // The store could not be read (permissions, I/O): nothing is lost, nothing is known.
            throw CommandFailure(status: .failure, message: "the credential store could not be read; the stored set is kept. Check the permissions of the store folder and try again.")
        }
        let report = StateReport(
            state: state, credentials: try await CredentialSummary.load(from: product.credentialStore()))
        if json { try JSONOutput.print(report) } else { report.printText() }
    }
}
