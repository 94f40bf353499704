import Foundation

/// Runs `command` (found on `PATH`) with `input` on its standard input and returns its standard output once it
/// exits. The input is written from a thread of its own, so a child that answers while it still reads cannot
/// deadlock against full pipes. Blocks: from async code call it inside ``offPool(_:)``.
public func childOutput(_ command: [String], input: Data) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    let writer = Thread {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return output
}
