import ArgumentParser
import DevPayKit
import Foundation

/// `devpay watch`: follows the lifecycle and prints each transition as it happens.
struct WatchCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Print each lifecycle transition as it happens (launch check, polling, token expiry).",
        discussion: """
            Runs until Ctrl-C, until --until's state is reached, or for --timeout seconds. While the customer \
            is activated but not subscribed, the subscription is checked every --poll-interval seconds.
            """)

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
        // Through FileHandle like the transitions, so the lines keep their order in a pipe.
        if !json { FileHandle.standardOutput.write(Data("\(current.name.rawValue) (\(current.phrase))\n".utf8)) }
        if let until, current.name == until.name, current.isStable {
            await lifecycle.shutDown()
            return
        }
        let target = until?.name
        // The first of: the target state, the timeout, the end of the stream. Unstructured tasks, so a check
        // still in flight when the answer is known cannot hold the command open.
        let (outcomes, outcome) = AsyncStream.makeStream(of: Bool.self)
        let printing = Task {
            for await transition in transitions {
                printer.print(transition)
                if transition.to.name == target { outcome.yield(true) }
            }
            outcome.yield(false)
        }
        // After a launch check that found no subscription the lifecycle waits for "on demand" checks
        // (docs/protocol.md §5); watching is such a demand, at --poll-interval.
        let interval = product.pollInterval
        let polling = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                if case .activatedUnsubscribed(checksLeft: 0) = await lifecycle.state {
                    _ = try? await lifecycle.verifySubscription()
                }
            }
        }
        let timing = Task {
            guard let timeout else { return }
            try? await Task.sleep(for: .seconds(timeout))
            outcome.yield(false)
        }
        var reached = false
        for await value in outcomes {
            reached = value
            break
        }
        printing.cancel()
        polling.cancel()
        timing.cancel()
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
