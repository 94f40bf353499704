public import Logging
import NIOConcurrencyHelpers

/// Everything logged through its loggers, one line per message — `level source message key=value …` with the
/// metadata keys sorted — so a test can check what a component logs and, above all, that no secret is ever in
/// it.
///
/// ```swift
/// let logs = CapturedLogs()
/// let client = LicenseServiceClient(transport: transport, logger: logs.logger(label: "test"))
/// …
/// #expect(!logs.lines.joined().contains(secretAccessKey))
/// ```
public final class CapturedLogs: Sendable {
    private let storage = NIOLockedValueBox<[String]>([])

    /// An empty capture.
    public init() {}

    /// The lines logged so far, in order.
    public var lines: [String] { storage.withLockedValue { $0 } }

    /// A logger whose every message at `level` or above lands in ``lines``.
    public func logger(label: String, level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in CapturingLogHandler(sink: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ line: String) {
        storage.withLockedValue { $0.append(line) }
    }
}

private struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        sink.append((["\(event.level)", event.source, event.message.description] + fields).joined(separator: " "))
    }
}
