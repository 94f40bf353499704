import DevPayTestSupport
import Foundation

/// Launches the `devpay` executable that `swift build` put beside the test bundle.
enum DevPayProcess {
    struct Result: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static var executableURL: URL {
        // The test bundle runs from the build products folder, where SwiftPM also links `devpay`.
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("devpay").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("devpay")
    }

    /// Runs `devpay arguments` to completion on a thread of its own (the wait must not hold a cooperative
    /// thread). stdout and stderr are drained at the same time, so a chatty `--log-level trace` run cannot fill
    /// one pipe while the other is read.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], input: Data? = nil, directory: URL? = nil
    ) async throws -> Result {
        try await offPool { try runBlocking(arguments, environment: environment, input: input, directory: directory) }
    }

    private static func runBlocking(
        _ arguments: [String], environment: [String: String], input: Data?, directory: URL?
    ) throws -> Result {
        let process = Process()
        process.executableURL = executableURL
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let error = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = stdin
        try process.run()
        let errorReader = DispatchQueue(label: "devpay-test-stderr")
        nonisolated(unsafe) var errData = Data()
        let errDone = DispatchSemaphore(value: 0)
        errorReader.async {
            errData = error.fileHandleForReading.readDataToEndOfFile()
            errDone.signal()
        }
        if let input {
            stdin.fileHandleForWriting.write(input)
        }
        try stdin.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self)
        )
    }
}
