import ArgumentParser
import CDevPayProcess
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
        // No core dumps and no ptrace by other processes of the same user: this process holds secret keys,
        // tokens and activation keys in memory (docs/security.md).
        if devpay_disable_dumping() != 0 {
            FileHandle.standardError.write(Data("devpay: warning: cannot turn off core dumps (prctl)\n".utf8))
        }
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try await execute(command)
        } catch {
            // Messages may quote a server (an S3 error's Message, a License Service fault): escaped before printing.
            guard let failure = CommandFailure(classifying: error) else {
                // Help, usage errors and explicit exit codes keep ArgumentParser's own (local) text; any other
                // failure is printed the same way, escaped.
                let code = exitCode(for: error)
                guard code == .failure, !(error is ExitCode) else { exit(withError: error) }
                FileHandle.standardError.write(Data((TerminalText.escaped(fullMessage(for: error)) + "\n").utf8))
                Foundation.exit(code.rawValue)
            }
            FileHandle.standardError.write(Data("devpay: \(TerminalText.escaped(failure.message))\n".utf8))
            Foundation.exit(failure.status.rawValue)
        }
    }

    /// Sets the log level and runs `command`. Off the main actor, so the parsed command is handed over whole
    /// (`sending`) instead of being shared with it.
    private nonisolated static func execute(_ command: sending any ParsableCommand) async throws {
        let option = (command as? any GlobalOptionsCommand)?.global.logLevel
        LogSetup.bootstrap(level: try GlobalOptions.resolvedLevel(
            option: option, environment: ProcessInfo.processInfo.environment))
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            var syncCommand = command
            try syncCommand.run()
        }
    }
}
