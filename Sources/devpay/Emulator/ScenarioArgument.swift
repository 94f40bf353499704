import ArgumentParser
import DevPayEmulator
import Foundation

/// A subscription scenario on the command line: `subscribed`, `after:SECONDS`, `payment-failed`,
/// `cancelled:ISO8601`.
struct ScenarioArgument: ExpressibleByArgument, Sendable {
    let scenario: SubscriptionScenario

    init?(argument: String) {
        switch argument {
        case "subscribed": scenario = .subscribed
        case "payment-failed": scenario = .paymentFailed
        default:
            if argument.hasPrefix("after:"), let seconds = Int(argument.dropFirst("after:".count)), seconds >= 0 {
                scenario = .subscribedAfter(seconds: seconds)
            } else if argument.hasPrefix("cancelled:"),
                      let date = ISO8601DateFormatter().date(from: String(argument.dropFirst("cancelled:".count))) {
                scenario = .cancelled(at: date)
            } else {
                return nil
            }
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["subscribed", "after:900", "payment-failed"]) }
}

/// One fault of a `--script`: `503`, `503:SECONDS` (with Retry-After), `drop`, `delay:MILLISECONDS`, `pass`.
struct FaultArgument: ExpressibleByArgument, Sendable {
    let fault: FaultPlan.Fault

    init?(argument: String) {
        switch argument {
        case "503": fault = .serviceUnavailable(retryAfterSeconds: nil)
        case "drop": fault = .dropConnection
        case "pass": fault = .pass
        default:
            if argument.hasPrefix("503:"), let seconds = Int(argument.dropFirst(4)), seconds >= 0 {
                fault = .serviceUnavailable(retryAfterSeconds: seconds)
            } else if argument.hasPrefix("delay:"), let milliseconds = Int(argument.dropFirst(6)), milliseconds >= 0 {
                fault = .delay(milliseconds: milliseconds)
            } else {
                return nil
            }
        }
    }
}

extension FaultPlan.Target: ExpressibleByArgument {}
