import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `devpay activate` reads the activation key: a prompt on the terminal (typed without echo), standard
/// input (`--activation-key -`), or the command line, which works but is visible to other users (`ps`, shell
/// history) and so gets a warning, like a secret key given there.
enum ActivationKeyInput {
    static let argvWarning = """
        devpay: warning: an activation key on the command line is visible to other users and kept in shell \
        history; type it at the prompt or pass --activation-key - and send it on standard input.

        """

    /// The key, from `option` (`nil`: prompt; `-`: standard input; anything else: the key itself).
    static func read(option: String?) throws -> String {
        switch option {
        case "-":
            return try readStandardInput()
        case let key?:
            FileHandle.standardError.write(Data(argvWarning.utf8))
            return key
        case nil:
            guard isatty(STDIN_FILENO) == 1 else {
                throw ValidationError("no activation key: pass --activation-key - and send it on standard input, or run in a terminal to be asked")
            }
            return try prompt()
        }
    }

    /// The first line of standard input, without its line ending.
    private static func readStandardInput() throws -> String {
        guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("--activation-key -: standard input held no key")
        }
        return line
    }

    /// Asks on the terminal with echo off, so the key stays off the screen and out of scrollback.
    private static func prompt() throws -> String {
        FileHandle.standardError.write(Data("Activation key: ".utf8))
        var saved = termios()
        let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &hidden)
        }
        defer {
            if canHide { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return try readStandardInput()
    }
}
