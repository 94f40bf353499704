import Logging
import Synchronization

/// Keeps every log line (message, metadata, source) at trace level, so a test can search what was logged.
struct CapturingLogHandler: LogHandler {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    let sink: Lines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        let merged = self.metadata.merging(metadata ?? [:]) { $1 }
        let text = "\(level) \(source) \(message) \(merged) \(function)"
        sink.lines.withLock { $0.append(text) }
    }

    static func logger(_ label: String, into sink: Lines) -> Logger {
        var logger = Logger(label: label) { _ in CapturingLogHandler(sink: sink) }
        logger.logLevel = .trace
        return logger
    }
}
