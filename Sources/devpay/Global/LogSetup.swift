import Logging

/// Sends swift-log's output to stderr at one level for the whole process (stdout carries only data).
enum LogSetup {
    /// Bootstraps swift-log; call once, before any logger is made.
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
