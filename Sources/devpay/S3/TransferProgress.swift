import DevPayHTTP
import Foundation
import NIOConcurrencyHelpers

/// A progress bar for one transfer on stderr: redrawn at most ten times a second while stderr is a
/// terminal; otherwise silent until ``finish(_:)`` prints one plain line.
final class TransferProgress: Sendable {
    private struct Drawn {
        var lastDraw: ContinuousClock.Instant?
        var drewBar = false
    }

    private let label: String
    /// Whether stderr is a terminal (a bar is drawn).
    let interactive: Bool
    private let drawn = NIOLockedValueBox(Drawn())
    private let clock = ContinuousClock()

    init(label: String, interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.interactive = interactive
    }

    /// The handler for the transport (called on its thread: it only formats and writes a short line).
    var handler: HTTPProgressHandler? {
        guard interactive else { return nil }
        return { [self] progress in update(progress) }
    }

    private func update(_ progress: HTTPTransferProgress) {
        let (done, total) = progress.bytesToSend.map { (progress.bytesSent, Optional($0)) }
            ?? (progress.bytesReceived, progress.bytesToReceive)
        update(done: done, total: total)
    }

    /// Redraws the bar (at most ten times a second), when stderr is a terminal.
    func update(done: Int64, total: Int64?) {
        guard interactive else { return }
        let now = clock.now
        let due = drawn.withLockedValue { state -> Bool in
            if let last = state.lastDraw, now - last < .milliseconds(100) { return false }
            state.lastDraw = now
            state.drewBar = true
            return true
        }
        guard due else { return }
        FileHandle.standardError.write(Data(("\r" + Self.bar(label: label, done: done, total: total)).utf8))
    }

    /// Ends the bar (if drawn) with a plain summary line.
    func finish(_ summary: String) {
        let clear = drawn.withLockedValue { $0.drewBar } ? "\r\u{1B}[K" : ""
        FileHandle.standardError.write(Data((clear + summary + "\n").utf8))
    }

    static func bar(label: String, done: Int64, total: Int64?) -> String {
        guard let total, total > 0 else { return "\(label) \(ByteCount(done))" }
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        return "\(label) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
            + "\(Int(fraction * 100))% \(ByteCount(done))/\(ByteCount(total))"
    }
}

/// A byte count for people: `512 B`, `1.5 KiB`, `3.2 MiB`.
struct ByteCount: CustomStringConvertible {
    var bytes: Int64
    init(_ bytes: Int64) { self.bytes = bytes }

    var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
