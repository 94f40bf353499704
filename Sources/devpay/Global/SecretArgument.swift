import ArgumentParser
import Foundation
import NIOConcurrencyHelpers

/// A secret the command line takes (a secret access key, a session token, a product token, an activation key)
/// and the places it may come from, in order: `--NAME-file PATH` (a file, or standard input when PATH is `-`),
/// `--NAME VALUE` (`-` also reads standard input), then an environment variable.
///
/// A value typed on the command line is visible to other users (`ps`, `/proc/PID/cmdline`) for as long as the
/// command runs, so using one prints a warning on stderr (docs/security.md). Standard input holds one secret per
/// run; two options asking for it is a usage error.
struct SecretArgument {
    /// The option's name without dashes, e.g. `secret-access-key`.
    var name: String
    /// The value given as `--NAME VALUE`.
    var value: String?
    /// The path given as `--NAME-file PATH`.
    var file: String?
    /// The environment variable read when neither option is given.
    var environmentVariable: String?

    /// The secret, or `nil` when none of its sources has one.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        switch (value, file) {
        case (.some, .some):
            throw ValidationError("pass --\(name) or --\(name)-file, not both")
        case (_, let path?) where path == "-", (let path?, nil) where path == "-":
            return try StandardInputSecret.shared.read(for: name)
        case (nil, let path?):
            return try Self.read(file: path, for: name)
        case (let value?, nil):
            StandardInputSecret.shared.warnOnce(
                "--\(name) on the command line is visible to other users of this machine; "
                + "use --\(name)-file, --\(name) - (standard input)"
                + (environmentVariable.map { " or $\($0)" } ?? ""))
            return value
        case (nil, nil):
            return environmentVariable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// The secret, or a usage error naming where it may come from.
    func require(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        guard let secret = try resolve(environment: environment), !secret.isEmpty else {
            throw ValidationError("pass --\(name)-file PATH, --\(name) - (standard input)"
                + (environmentVariable.map { ", set $\($0)" } ?? "") + " or --\(name)")
        }
        return secret
    }

    private static func read(file path: String, for name: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--\(name)-file: cannot read \(path)")
        }
        return trimmed(data)
    }

    /// Without the line break an editor or `echo` leaves at the end.
    fileprivate static func trimmed(_ data: Data) -> String {
        var text = String(decoding: data, as: UTF8.self)
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}

/// Standard input read once for the one secret that asked for it, and warnings printed once each (an option is
/// resolved more than once in a run).
private final class StandardInputSecret: Sendable {
    static let shared = StandardInputSecret()

    private struct State {
        var reader: String?
        var secret = ""
        var warned: Set<String> = []
    }

    private let state = NIOLockedValueBox(State())

    func read(for name: String) throws -> String {
        try state.withLockedValue { state in
            switch state.reader {
            case name?:
                return state.secret
            case let other?:
                throw ValidationError("--\(other) already reads standard input; give --\(name) another way")
            case nil:
                state.reader = name
                state.secret = SecretArgument.trimmed(FileHandle.standardInput.readDataToEndOfFile())
                return state.secret
            }
        }
    }

    func warnOnce(_ message: String) {
        let first = state.withLockedValue { $0.warned.insert(message).inserted }
        if first { FileHandle.standardError.write(Data("devpay: warning: \(message)\n".utf8)) }
    }
}
