import ArgumentParser
import Foundation
import Logging

/// Options every `devpay` subcommand accepts.
struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How much to log on stderr: trace, debug, info, notice, warning, error or critical.",
            discussion: "Default: $DEVPAY_LOG_LEVEL, else warning. Logs never contain keys or tokens."))
    var logLevel: Logger.Level?

    /// The level asked for on the command line (`option`), else in `DEVPAY_LOG_LEVEL`, else `warning`.
    static func resolvedLevel(option: Logger.Level?, environment: [String: String]) throws -> Logger.Level {
        if let option { return option }
        guard let text = environment["DEVPAY_LOG_LEVEL"], !text.isEmpty else { return .warning }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("DEVPAY_LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return level
    }
}

/// A command that carries the global options, so `main` can set the log level before it runs.
/// `SendableMetatype`: no conformance to it is isolated to an actor, so `main` casting the parsed command to it
/// leaves the command free to be handed to its nonisolated `run()` (an isolated conformance would tie the
/// command to the main actor, and handing it over would risk a data race).
protocol GlobalOptionsCommand: SendableMetatype {
    var global: GlobalOptions { get }
}

// swift-format-ignore: AvoidRetroactiveConformances
// Neither swift-log nor ArgumentParser can declare this conformance, and `--log-level` parses straight into the
// level apps configure; the conformance stays inside this executable.
extension Logger.Level: @retroactive ExpressibleByArgument {}
