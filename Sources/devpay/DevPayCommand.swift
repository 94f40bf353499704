import ArgumentParser
import Foundation

/// `devpay`: activate, inspect and exercise DevPay desktop products from the shell.
@main
struct DevPayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devpay",
        abstract: "Activate DevPay desktop products, sign S3 requests and run a local License Service.",
        discussion: """
            Start with `devpay demo`: it runs the whole DevPay story against an in-process emulator. \
            Every subcommand takes --log-level (or $DEVPAY_LOG_LEVEL); logs go to stderr, data to stdout.

            \(ExitStatus.helpText)
            """,
        subcommands: [
            DemoCommand.self,
            ActivateCommand.self,
            StatusCommand.self,
            VerifyCommand.self,
            WatchCommand.self,
            S3Command.self,
            DiagramCommand.self,
            EmulatorCommand.self,
            SignCommand.self,
            DoctorCommand.self,
        ]
    )

    /// Parses, sets up logging once, runs, and turns failures into the documented exit statuses.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            let option = (command as? any GlobalOptionsCommand)?.global.logLevel
            LogSetup.bootstrap(level: try GlobalOptions.resolvedLevel(
                option: option, environment: ProcessInfo.processInfo.environment))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch {
            guard let failure = CommandFailure(classifying: error) else { exit(withError: error) }
            FileHandle.standardError.write(Data("devpay: \(failure.message)\n".utf8))
            Foundation.exit(failure.status.rawValue)
        }
    }
}
