import DevPayKit
import Foundation

/// Prints lifecycle transitions as they happen, one line each (text or JSON Lines) on stdout.
struct TransitionPrinter: Sendable {
    var json: Bool
    var indent = "  "

    struct Line: Encodable {
        var time: String
        var from: String
        var event: String
        var to: String
        var description: String
        var failure: String?
    }

    func print<Instant>(_ transition: LifecycleTransition<Instant>) {
        let now = Date()
        if json {
            // A full timestamp in the JSON form (ISO 8601 with milliseconds, UTC), as in every --json.
            try? JSONOutput.print(Line(
                time: now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
                from: transition.from.name.rawValue, event: transition.event.rawValue,
                to: transition.to.name.rawValue, description: transition.to.phrase,
                failure: transition.failure.map { "\($0)" }))
            return
        }
        let time = now.formatted(.iso8601.time(includingFractionalSeconds: true).timeSeparator(.colon))
        var line = "\(indent)\(time)  \(transition.from.name.rawValue) → \(transition.to.name.rawValue)"
            + "  [\(transition.event.rawValue)]  \(transition.to.phrase)"
        if let failure = transition.failure { line += " — \(failure)" }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Prints every transition of `lifecycle` until the returned task is cancelled.
    func follow<C: Clock>(_ lifecycle: DevPayLifecycle<C>) async -> Task<Void, Never> {
        let transitions = await lifecycle.transitions
        return Task {
            for await transition in transitions { self.print(transition) }
        }
    }
}
