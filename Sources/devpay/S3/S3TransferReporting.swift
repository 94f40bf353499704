import DevPayS3
import Foundation

/// Follows a transfer to its end: a progress bar on a terminal, else (with `--json`) one JSON line per
/// progress report on stdout (bytes at most four times a second, every finished part); returns the transfer's result.
enum S3TransferReporting {
    struct ProgressLine: Encodable {
        var type = "progress"
        var bytes: Int64
        var totalBytes: Int64
        var parts: Int
        var totalParts: Int
        var bytesPerSecond: Int64
    }

    static func follow(_ transfer: S3Transfer, bar: TransferProgress, json: Bool) async throws -> S3TransferResult {
        let clock = ContinuousClock()
        var lastLine: (at: ContinuousClock.Instant, parts: Int)?
        for await progress in transfer.progress {
            bar.update(done: progress.bytesTransferred, total: progress.totalBytes)
            guard json, !bar.interactive else { continue }
            let now = clock.now
            // A finished part is always reported (a script may act on it); bytes at most four times a second.
            if let lastLine, now - lastLine.at < .milliseconds(250), progress.partsCompleted == lastLine.parts { continue }
            lastLine = (now, progress.partsCompleted)
            try JSONOutput.print(ProgressLine(
                bytes: progress.bytesTransferred, totalBytes: progress.totalBytes, parts: progress.partsCompleted,
                totalParts: progress.totalParts, bytesPerSecond: Int64(progress.bytesPerSecond)))
        }
        return try await transfer.result
    }

    /// The last JSON line of a finished transfer.
    struct ResultLine: Encodable {
        var type = "result"
        var bucket: String
        var key: String
        var file: String
        var bytes: Int64
        var eTag: String?
        var parts: Int
        var partsResumed: Int
        var verified: Bool
        var restartedBecauseObjectChanged: Bool

        init(_ result: S3TransferResult) {
            bucket = result.location.bucket
            key = result.location.key
            file = result.path
            bytes = result.bytes
            eTag = result.eTag
            parts = result.parts
            partsResumed = result.partsResumed
            verified = result.verified
            restartedBecauseObjectChanged = result.restartedBecauseObjectChanged
        }
    }

    /// The plain summary line on stderr.
    static func summary(_ verb: String, _ result: S3TransferResult, toward: Bool) -> String {
        var line = "\(verb) \(ByteCount(result.bytes)) " + (toward ? "to \(result.location)" : "from \(result.location) to \(result.path)")
        if result.parts > 1 { line += " in \(result.parts) parts" }
        if result.partsResumed > 0 { line += " (\(result.partsResumed) resumed)" }
        if result.restartedBecauseObjectChanged { line += " (the object had changed: started over)" }
        return line
    }
}
