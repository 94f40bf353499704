import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `devpay activate` reads the activation key: any source a secret may come from (``SecretArgument``:
/// a file, standard input with `-`, `$DEVPAY_ACTIVATION_KEY`, or the command line with a warning), else a
/// prompt on the terminal, typed without echo.
enum ActivationKeyInput {
    /// The key from `argument`'s sources, or from the prompt when none has one.
    static func read(_ argument: SecretArgument) throws -> String {
        if let key = try argument.resolve(), !key.isEmpty { return key }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError(
                "no activation key: pass --activation-key - and send it on standard input, --activation-key-file, "
                + "set $DEVPAY_ACTIVATION_KEY, or run in a terminal to be asked")
        }
        return try prompt()
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
        guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("the prompt read no activation key")
        }
        return line
    }
}
