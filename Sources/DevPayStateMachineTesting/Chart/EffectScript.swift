import NIOConcurrencyHelpers

/// A scripted dependency for a chart's real effect handler: each request the handler makes waits until the
/// test (or ``ChartModelCheck``) answers it, so a property test decides when each result comes back,
/// including after the effect's region was left.
///
/// A request is not cancelled with its effect's task: like a network call already on the wire, it completes
/// when answered, and the handler then sends its result to a machine that must drop it as stale. When the
/// script ends (``finish()``), every waiting request gets `nil`.
///
/// ```swift
/// let script = EffectScript<String, Int>()
/// let machine = await ChartMachine(Transfer(), context: .init(), clock: clock,
///                                  effects: Transfer.effects(network: ScriptedNetwork(script)))
/// ```
public final class EffectScript<Request: Sendable, Response: Sendable>: Sendable {
    private struct Waiting {
        var request: Request
        var continuation: CheckedContinuation<Response?, Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        /// Handler invocations started so far.
        var entered = 0
        /// Handler invocations started and not returned.
        var running = 0
        var finished = false
        var settledWaiters: [CheckedContinuation<Void, Never>] = []

        var isSettled: Bool { running == waiting.count }

        mutating func takeSettledWaiters() -> [CheckedContinuation<Void, Never>] {
            guard isSettled else { return [] }
            defer { settledWaiters.removeAll() }
            return settledWaiters
        }
    }

    private let state = NIOLockedValueBox(State())

    /// An empty script.
    public init() {}

    /// Called by the effect handler's dependency: waits until the script answers `request`; `nil` once the
    /// script has ended.
    public func respond(to request: Request) async -> Response? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Response?, Never>) in
            let (finished, waiters) = state.withLockedValue { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                if state.finished { return (true, []) }
                state.waiting.append(Waiting(request: request, continuation: continuation))
                return (false, state.takeSettledWaiters())
            }
            if finished { continuation.resume(returning: nil) }
            waiters.forEach { $0.resume() }
        }
    }

    /// The requests waiting for an answer, oldest first.
    public var pendingRequests: [Request] {
        state.withLockedValue { $0.waiting.map(\.request) }
    }

    /// Answers the waiting request at `index` (oldest first) with `response`.
    public func answer(_ index: Int, with response: Response) {
        let waiting = state.withLockedValue { $0.waiting.remove(at: index) }
        waiting.continuation.resume(returning: response)
    }

    /// Runs one invocation of the effect handler, counted so that ``settled()`` knows when it has returned.
    func track(_ body: () async -> Void) async {
        state.withLockedValue { state in
            state.entered += 1
            state.running += 1
        }
        await body()
        let waiters = state.withLockedValue { state in
            state.running -= 1
            return state.takeSettledWaiters()
        }
        waiters.forEach { $0.resume() }
    }

    /// Handler invocations started so far.
    var entered: Int { state.withLockedValue { $0.entered } }

    /// Suspends until every running handler invocation waits on this script or has returned: the effects
    /// have done all they can until the next answer.
    func settled() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLockedValue { state -> Bool in
                if state.isSettled { return true }
                state.settledWaiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Ends the script: every waiting request, and every later one, gets `nil`.
    public func finish() {
        let waiting = state.withLockedValue { state in
            state.finished = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        waiting.forEach { $0.continuation.resume(returning: nil) }
    }
}
