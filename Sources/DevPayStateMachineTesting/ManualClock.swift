import NIOConcurrencyHelpers

/// A clock that moves only when a test tells it to.
///
/// Code under test receives it wherever it takes an injected `Clock`. A test waits for facts about sleepers
/// with ``waitForSleepers(count:)``, ``waitForSleeper(until:)`` ("the timer for t+5 s is asleep") or
/// ``waitForSleepers(where:)`` (for example "no one is sleeping any more") instead of guessing how many
/// `Task.yield()` calls it takes for a task to reach its `sleep`, which is flaky on a loaded two-core
/// machine. Then ``advance(by:)`` or ``advance(to:)`` wakes, in deadline order, every sleeper whose deadline
/// has come. A cancelled sleeper is removed at once, so after cancelling a timer nothing is left to wake.
///
/// A sleep whose deadline is not after ``now`` returns at once; a cancelled sleep throws `CancellationError`.
public final class ManualClock: Clock, Sendable {
    /// A point on the manual time line: the time elapsed since the clock's origin.
    public struct Instant: InstantProtocol, Codable, Hashable, Sendable, CustomStringConvertible {
        /// Time since the clock's origin.
        public var offset: Duration

        /// Creates an instant at `offset` past the origin.
        public init(offset: Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Duration) -> Instant {
            Instant(offset: offset + duration)
        }

        public func duration(to other: Instant) -> Duration {
            other.offset - offset
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }

        public var description: String { "t+\(offset)" }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct SleeperWaiter {
        /// Decides, from the deadlines of the registered sleepers, whether the wait is over.
        var isSatisfied: @Sendable ([Instant]) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Instant
        var nextSleeperID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        /// Sleeps that have an identifier but have not registered their continuation yet.
        var unregistered: Set<UInt64> = []
        /// Sleeps cancelled before they registered: their registration must throw rather than wait forever.
        var cancelledBeforeRegistration: Set<UInt64> = []
        var sleeperWaiters: [SleeperWaiter] = []

        mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            guard !sleeperWaiters.isEmpty else { return [] }
            let deadlines = sleepers.values.map(\.deadline)
            var satisfied: [CheckedContinuation<Void, Never>] = []
            sleeperWaiters.removeAll { waiter in
                guard waiter.isSatisfied(deadlines) else { return false }
                satisfied.append(waiter.continuation)
                return true
            }
            return satisfied
        }
    }

    private let state: NIOLockedValueBox<State>

    /// Creates a clock whose ``now`` is `start`.
    public init(start: Instant = Instant(offset: .zero)) {
        state = NIOLockedValueBox(State(now: start))
    }

    public var now: Instant {
        state.withLockedValue { $0.now }
    }

    public var minimumResolution: Duration { .zero }

    /// The number of tasks currently suspended in ``sleep(until:tolerance:)``.
    public var sleeperCount: Int {
        state.withLockedValue { $0.sleepers.count }
    }

    /// The earliest deadline among pending sleepers, if any.
    public var nextDeadline: Instant? {
        state.withLockedValue { $0.sleepers.values.map(\.deadline).min() }
    }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLockedValue { state -> UInt64 in
            defer { state.nextSleeperID += 1 }
            state.unregistered.insert(state.nextSleeperID)
            return state.nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Registration {
                    case resumeNow
                    case cancelled
                    case waiting([CheckedContinuation<Void, Never>])
                }
                let registration = state.withLockedValue { state -> Registration in
                    state.unregistered.remove(id)
                    if state.cancelledBeforeRegistration.remove(id) != nil {
                        return .cancelled
                    }
                    if deadline <= state.now {
                        return .resumeNow
                    }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .waiting(state.takeSatisfiedWaiters())
                }
                switch registration {
                case .resumeNow:
                    continuation.resume()
                case .cancelled:
                    continuation.resume(throwing: CancellationError())
                case .waiting(let waiters):
                    waiters.forEach { $0.resume() }
                }
            }
        } onCancel: {
            let (sleeper, waiters) = state.withLockedValue { state -> (Sleeper?, [CheckedContinuation<Void, Never>]) in
                if let sleeper = state.sleepers.removeValue(forKey: id) {
                    return (sleeper, state.takeSatisfiedWaiters())
                }
                // Remember the cancellation only for a sleep still on its way to registering; one that was
                // already woken needs nothing, and remembering it would grow the set forever.
                if state.unregistered.contains(id) {
                    state.cancelledBeforeRegistration.insert(id)
                }
                return (nil, [])
            }
            sleeper?.continuation.resume(throwing: CancellationError())
            waiters.forEach { $0.resume() }
        }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock.
    public func waitForSleepers(count: Int = 1) async {
        await waitForSleepers { $0.count >= count }
    }

    /// Suspends until a task is sleeping until exactly `deadline`: the way to know that a timer armed for
    /// that instant has reached its sleep, whatever else is sleeping.
    public func waitForSleeper(until deadline: Instant) async {
        await waitForSleepers { $0.contains(deadline) }
    }

    /// Suspends until the deadlines of the sleeping tasks satisfy `condition`; it is checked now and after
    /// every registration, cancellation and wake-up.
    public func waitForSleepers(where condition: @escaping @Sendable (_ deadlines: [Instant]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLockedValue { state -> Bool in
                if condition(state.sleepers.values.map(\.deadline)) {
                    return true
                }
                state.sleeperWaiters.append(SleeperWaiter(isSatisfied: condition, continuation: continuation))
                return false
            }
            if ready {
                continuation.resume()
            }
        }
    }

    /// The deadlines of the sleeping tasks, earliest first.
    public var sleeperDeadlines: [Instant] {
        state.withLockedValue { $0.sleepers.values.map(\.deadline).sorted() }
    }

    /// Moves time forward by `duration` and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "a manual clock never goes back")
        advance(to: now.advanced(by: duration))
    }

    /// Moves time to `instant` (never backwards) and wakes every sleeper whose deadline has come, earliest first.
    public func advance(to instant: Instant) {
        let (due, waiters) = state.withLockedValue { state -> ([Sleeper], [CheckedContinuation<Void, Never>]) in
            if instant > state.now {
                state.now = instant
            }
            let dueIDs = state.sleepers
                .filter { $0.value.deadline <= state.now }
                .sorted { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }
                .map(\.key)
            let due = dueIDs.compactMap { state.sleepers.removeValue(forKey: $0) }
            return (due, state.takeSatisfiedWaiters())
        }
        for sleeper in due {
            sleeper.continuation.resume()
        }
        waiters.forEach { $0.resume() }
    }
}
