import NIOConcurrencyHelpers

/// Collects values from effect handlers and other tasks for a test to read afterwards.
final class Recorder<Value: Sendable>: Sendable {
    private let storage = NIOLockedValueBox<[Value]>([])

    func record(_ value: Value) {
        storage.withLockedValue { $0.append(value) }
    }

    var values: [Value] {
        storage.withLockedValue { $0 }
    }
}
