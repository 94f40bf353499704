import DequeModule
import NIOConcurrencyHelpers

/// A stream of one subscriber's notices from a machine: values, and `.missed(n)` where the subscriber's
/// bounded buffer overflowed. Loss is never silent, not even at the end: if values were dropped after the
/// last one delivered, a final `.missed(n)` comes before the stream ends.
///
/// The subscription starts when the stream is created and ends when the stream and its iterator are gone.
public struct ObservationStream<Value: Sendable>: AsyncSequence, Sendable {
    public typealias Element = Observed<Value>
    let subscription: Subscription<Value>

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(subscription: subscription) }

    /// Reads one subscriber's notices.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let subscription: Subscription<Value>

        public mutating func next() async -> Observed<Value>? {
            await subscription.next()
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> Observed<Value>? {
            await subscription.next()
        }
    }
}

/// One subscriber of a ``Broadcast``; unsubscribes when released.
final class Subscription<Element: Sendable>: Sendable {
    let broadcast: Broadcast<Element>
    let id: UInt64

    init(broadcast: Broadcast<Element>, id: UInt64) {
        self.broadcast = broadcast
        self.id = id
    }

    deinit { broadcast.unsubscribe(id) }

    func next() async -> Observed<Element>? {
        if let ready = broadcast.poll(id) { return ready.notice }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if let ready = broadcast.wait(id, continuation) { continuation.resume(returning: ready.notice) }
            }
        } onCancel: {
            broadcast.cancelWait(id)
        }
    }
}

/// Fans values out to subscribers, each with its own bounded buffer and a count of what it missed.
///
/// A lock rather than actor state: the publisher (a machine actor) must not suspend to publish, and a
/// subscriber that goes away is removed synchronously.
@usableFromInline final class Broadcast<Element: Sendable>: Sendable {
    /// A poll's answer: `notice` is `nil` when the stream has ended.
    struct Ready {
        var notice: Observed<Element>?
    }

    private struct Subscriber {
        var buffer: Deque<Observed<Element>> = []
        var limit: Int
        var missed = 0
        var waiter: CheckedContinuation<Observed<Element>?, Never>?
        var ended = false

        /// Queues `element`, or counts it as missed when the buffer is full; a pending gap is reported first.
        mutating func offer(_ element: Element) {
            if missed > 0 {
                guard buffer.count < limit else {
                    missed += 1
                    return
                }
                buffer.append(.missed(missed))
                missed = 0
            }
            if buffer.count < limit {
                buffer.append(.next(element))
            } else {
                missed += 1
            }
        }

        /// Ends the stream; a gap not yet reported is reported beyond the limit, so it is never lost.
        mutating func end() {
            if missed > 0 {
                buffer.append(.missed(missed))
                missed = 0
            }
            ended = true
        }

        mutating func take() -> Ready? {
            if let first = buffer.popFirst() { return Ready(notice: first) }
            return ended ? Ready(notice: nil) : nil
        }
    }

    private struct Registry {
        var nextID: UInt64 = 0
        var subscribers: [UInt64: Subscriber] = [:]
        var finished = false
    }

    private let registry = NIOLockedValueBox(Registry())

    init() {}

    @usableFromInline var isEmpty: Bool { registry.withLockedValue { $0.subscribers.isEmpty } }
    @usableFromInline var count: Int { registry.withLockedValue { $0.subscribers.count } }

    @usableFromInline func subscribe(bufferLimit: Int, initial: Element? = nil) -> ObservationStream<Element> {
        precondition(bufferLimit > 0, "a subscriber needs room for at least one notice")
        let id = registry.withLockedValue { registry in
            registry.nextID &+= 1
            var subscriber = Subscriber(limit: bufferLimit)
            if let initial { subscriber.offer(initial) }
            if registry.finished { subscriber.end() }
            registry.subscribers[registry.nextID] = subscriber
            return registry.nextID
        }
        return ObservationStream(subscription: Subscription(broadcast: self, id: id))
    }

    @usableFromInline func publish(_ element: Element) {
        update { $0.offer(element) }
    }

    /// Ends every stream after what it buffered; later subscribers get an ended stream.
    @usableFromInline func finish() {
        update(finishing: true) { $0.end() }
    }

    /// Applies `change` to every subscriber under the lock, then wakes (outside it) those that were
    /// waiting and now have a notice.
    private func update(finishing: Bool = false, _ change: (inout Subscriber) -> Void) {
        typealias Wake = (CheckedContinuation<Observed<Element>?, Never>, Observed<Element>?)
        let wake = registry.withLockedValue { registry -> [Wake] in
            if finishing { registry.finished = true }
            var wake: [Wake] = []
            // Index by index, mutating in place: iterating `keys` would copy the dictionary on first write.
            var index = registry.subscribers.values.startIndex
            while index != registry.subscribers.values.endIndex {
                change(&registry.subscribers.values[index])
                if let waiter = registry.subscribers.values[index].waiter,
                    let ready = registry.subscribers.values[index].take()
                {
                    registry.subscribers.values[index].waiter = nil
                    wake.append((waiter, ready.notice))
                }
                registry.subscribers.values.formIndex(after: &index)
            }
            return wake
        }
        for (waiter, notice) in wake { waiter.resume(returning: notice) }
    }

    func poll(_ id: UInt64) -> Ready? {
        registry.withLockedValue { $0.subscribers[id]?.take() ?? Ready(notice: nil) }
    }

    /// Registers `continuation` to receive the next notice, or returns one at once.
    func wait(_ id: UInt64, _ continuation: CheckedContinuation<Observed<Element>?, Never>) -> Ready? {
        registry.withLockedValue { registry in
            guard registry.subscribers[id] != nil else { return Ready(notice: nil) }
            if let ready = registry.subscribers[id]!.take() { return ready }
            registry.subscribers[id]!.waiter = continuation
            return nil
        }
    }

    /// A waiting subscriber's task was cancelled: its `next()` returns `nil`.
    func cancelWait(_ id: UInt64) {
        let waiter = registry.withLockedValue { registry in
            defer { registry.subscribers[id]?.waiter = nil }
            return registry.subscribers[id]?.waiter
        }
        waiter?.resume(returning: nil)
    }

    func unsubscribe(_ id: UInt64) {
        let waiter = registry.withLockedValue { $0.subscribers.removeValue(forKey: id)?.waiter }
        waiter?.resume(returning: nil)
    }
}
