import ArgumentParser
import DevPayKit
import Foundation

/// `devpay watch`: follows the lifecycle and prints each transition as it happens.
struct WatchCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print each lifecycle transition as it happens (launch check, polling, token expiry).",
        discussion: "Runs until Ctrl-C, until --until's state is reached, or for --timeout seconds.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var product: ProductOptions

    @Option(help: "Stop once this state is entered: unactivated, activatedUnsubscribed, subscribed or expiredNeedsReactivation.")
    var until: StateNameArgument?

    @Option(help: "Stop after this many seconds.")
    var timeout: Int?

    @Flag(help: "Print JSON Lines.")
    var json = false

    func run() async throws {
        let lifecycle = try await product.lifecycle()
        let printer = TransitionPrinter(json: json, indent: "")
        let transitions = await lifecycle.transitions
        let current = await lifecycle.state
        if !json { print("\(current.name.rawValue) (\(current.phrase))") }
        if let until, current.name == until.name, current.isStable {
            await lifecycle.shutDown()
            return
        }
        let target = until?.name
        let reached = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await transition in transitions {
                    printer.print(transition)
                    if transition.to.name == target { return true }
                }
                return false
            }
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: .seconds(timeout))
                    return false
                }
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        await lifecycle.shutDown()
        if target != nil, !reached {
            throw CommandFailure(status: .failure, message: "\(until!.name.rawValue) was not reached")
        }
    }
}

/// A stable state's name on the command line.
struct StateNameArgument: ExpressibleByArgument {
    let name: ActivationState.Name

    init?(argument: String) {
        guard let name = ActivationState.Name(rawValue: argument) else { return nil }
        self.name = name
    }
}
