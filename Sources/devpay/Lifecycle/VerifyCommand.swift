import ArgumentParser
import DevPayKit

/// `devpay verify`: asks the License Service whether the customer is subscribed; the exit status says it.
struct VerifyCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the subscription now (VerifyProductSubscriptionByTokens): exit 0 if subscribed, 77 if not.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var product: ProductOptions
    @OptionGroup var check: ForegroundCheckOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() async throws {
        let lifecycle = try await product.lifecycle(callTimeout: check.deadline)
        let held = await lifecycle.state.holdsCredentialSet
        let state: ActivationState
        do {
            state = try await lifecycle.checkedState()
        } catch {
            await lifecycle.shutDown()
            throw error
        }
        await lifecycle.shutDown()
        let report = StateReport(
            state: state, credentials: nil)
        if json { try JSONOutput.print(report) } else { report.printText() }
        guard state == .subscribed else {
            if !held {
                throw CommandFailure(status: .activationKey, message: "not activated: run `devpay activate` with a key from \(ExitStatus.activateURL)")
            }
            throw CommandFailure(status: .subscription, message: "the customer is not subscribed; payment can be fixed at \(ExitStatus.billingURL)")
        }
    }
}
