/// Turns any error thrown by an attempt into a ``RetryClassification``.
///
/// The closure sees the error first and may return `nil` to pass; then an error that conforms to
/// ``RetryClassifiable`` classifies itself; anything else is permanent, so an unknown error is never retried.
/// `CancellationError` never reaches a classifier: the engine rethrows it at once.
public struct RetryErrorClassifier: Sendable {
    private let classifyFirst: @Sendable (any Error) -> RetryClassification?

    /// Creates a classifier that tries `classify` before the ``RetryClassifiable`` conformance.
    public init(_ classify: @escaping @Sendable (any Error) -> RetryClassification?) {
        classifyFirst = classify
    }

    /// Relies on ``RetryClassifiable`` alone.
    public static let `default` = RetryErrorClassifier { _ in nil }

    /// The classification of `error`.
    public func classify(_ error: any Error) -> RetryClassification {
        if let classification = classifyFirst(error) {
            return classification
        }
        if let classifiable = error as? any RetryClassifiable {
            return classifiable.retryClassification
        }
        return .permanent
    }
}
