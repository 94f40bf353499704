import DevPayRetry
import NIOConcurrencyHelpers

/// An error that carries the classification a test wants the engine to see.
struct ScriptedFault: Error, RetryClassifiable, Equatable {
    let retryClassification: RetryClassification

    static let throttled = ScriptedFault(retryClassification: .throttling)
    static let transient = ScriptedFault(retryClassification: .transient)
    static let timedOut = ScriptedFault(retryClassification: .timeout)
    static let permanent = ScriptedFault(retryClassification: .permanent)
}

/// An operation that fails with the scripted faults, in order, then succeeds with its attempt number.
final class ScriptedOperation: Sendable {
    private let remaining: NIOLockedValueBox<[ScriptedFault]>
    private let attemptLog = NIOLockedValueBox<[RetryAttempt]>([])

    init(failures: [ScriptedFault]) {
        remaining = NIOLockedValueBox(failures)
    }

    /// The attempts made so far.
    var attempts: [RetryAttempt] { attemptLog.withLockedValue { $0 } }

    func callAsFunction(_ attempt: RetryAttempt) throws -> Int {
        attemptLog.withLockedValue { $0.append(attempt) }
        if let fault = remaining.withLockedValue({ $0.isEmpty ? nil : $0.removeFirst() }) {
            throw fault
        }
        return attempt.number
    }
}
