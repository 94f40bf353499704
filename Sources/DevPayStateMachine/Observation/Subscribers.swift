import NIOConcurrencyHelpers

/// The subscribers of one observation stream, each with its own `AsyncStream` buffer.
///
/// A lock rather than actor state so that a subscriber that goes away is removed synchronously from its
/// stream's `onTermination` (no task per cancellation, and nothing left behind after 10 000 cycles).
final class Subscribers<Element: Sendable>: Sendable {
    private struct Subscriber {
        var continuation: AsyncStream<Element>.Continuation
        var missed: Int = 0

        mutating func offer(_ element: Element, missedNotice: ((Int) -> Element)?) {
            guard let missedNotice else {
                continuation.yield(element)
                return
            }
            if missed > 0 {
                guard case .enqueued = continuation.yield(missedNotice(missed)) else {
                    missed += 1
                    return
                }
                missed = 0
            }
            if case .dropped = continuation.yield(element) {
                missed += 1
            }
        }
    }

    private struct Registry {
        var nextID: UInt64 = 0
        var subscribers: [UInt64: Subscriber] = [:]
        var finished = false
    }

    private let registry = NIOLockedValueBox(Registry())
    /// Builds the notice that reports a gap; `nil` for streams that keep only the newest values.
    private let missedNotice: (@Sendable (Int) -> Element)?

    init(missedNotice: (@Sendable (Int) -> Element)?) {
        self.missedNotice = missedNotice
    }

    var count: Int {
        registry.withLockedValue { $0.subscribers.count }
    }

    /// A new stream that first yields `initial` (if any), then every published element.
    func subscribe(bufferLimit: Int, initial: Element? = nil) -> AsyncStream<Element> {
        precondition(bufferLimit > 0, "a subscriber needs room for at least one element")
        let policy: AsyncStream<Element>.Continuation.BufferingPolicy =
            missedNotice == nil ? .bufferingNewest(bufferLimit) : .bufferingOldest(bufferLimit)
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: policy)
        if let initial {
            continuation.yield(initial)
        }
        let id = registry.withLockedValue { registry -> UInt64? in
            guard !registry.finished else { return nil }
            registry.nextID &+= 1
            registry.subscribers[registry.nextID] = Subscriber(continuation: continuation)
            return registry.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.registry.withLockedValue { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Offers `element` to every subscriber; a full buffer counts it as missed (or drops the oldest).
    func publish(_ element: Element) {
        registry.withLockedValue { registry in
            // Index by index, mutating in place: iterating `keys` would hold a second reference to the
            // storage and copy the whole dictionary on the first write.
            var index = registry.subscribers.values.startIndex
            while index != registry.subscribers.values.endIndex {
                registry.subscribers.values[index].offer(element, missedNotice: missedNotice)
                registry.subscribers.values.formIndex(after: &index)
            }
        }
    }

    /// Ends every stream; later subscribers get a stream that is already finished.
    func finish() {
        let continuations = registry.withLockedValue { registry in
            registry.finished = true
            defer { registry.subscribers.removeAll() }
            return registry.subscribers.values.map(\.continuation)
        }
        // Outside the lock: finishing runs `onTermination`, which takes it.
        continuations.forEach { $0.finish() }
    }
}
