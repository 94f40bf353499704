import NIOConcurrencyHelpers

/// A one-time signal from the transport thread to the tasks waiting for it to end.
final class ThreadEnd: Sendable {
    private enum State {
        case running(waiting: [CheckedContinuation<Void, Never>])
        case ended
    }

    private let state = NIOLockedValueBox(State.running(waiting: []))

    /// Marks the end and resumes every waiter (outside the lock).
    func signal() {
        let waiting: [CheckedContinuation<Void, Never>] = state.withLockedValue { state in
            guard case .running(let waiting) = state else { return [] }
            state = .ended
            return waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = state.withLockedValue { state in
                switch state {
                case .running(var waiting):
                    waiting.append(continuation)
                    state = .running(waiting: waiting)
                    return false
                case .ended:
                    return true
                }
            }
            if ended { continuation.resume() }
        }
    }
}
