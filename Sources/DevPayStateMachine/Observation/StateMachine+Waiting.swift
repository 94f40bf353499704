extension StateMachine {
    /// Waits until the machine is in a state that satisfies `predicate` (the current state counts).
    ///
    /// - Parameters:
    ///   - predicate: the condition the state must meet.
    ///   - timeout: how long to wait on the machine's clock; `nil` waits until the machine stops.
    /// - Returns: the first matching state.
    /// - Throws: ``StateMachineError/timedOut(after:)`` or ``StateMachineError/stopped``.
    @discardableResult
    public nonisolated func wait(
        until predicate: @escaping @Sendable (State) -> Bool,
        timeout: Duration? = nil
    ) async throws(StateMachineError) -> State {
        let stream = await states()
        return try await firstElement(of: stream, timeout: timeout) { predicate($0) ? $0 : nil }
    }

    /// Waits for the first transition applied from now on that satisfies `predicate`.
    ///
    /// The machine's transition buffer applies; a subscriber that misses transitions keeps waiting for the
    /// next matching one.
    /// - Parameters:
    ///   - predicate: the condition the transition must meet.
    ///   - timeout: how long to wait on the machine's clock; `nil` waits until the machine stops.
    /// - Throws: ``StateMachineError/timedOut(after:)`` or ``StateMachineError/stopped``.
    public nonisolated func first(
        where predicate: @escaping @Sendable (TransitionRecord<Machine, C.Instant>) -> Bool,
        timeout: Duration? = nil
    ) async throws(StateMachineError) -> TransitionRecord<Machine, C.Instant> {
        let stream = await transitions()
        return try await firstElement(of: stream, timeout: timeout) { notice in
            notice.value.flatMap { predicate($0) ? $0 : nil }
        }
    }

    private nonisolated func firstElement<Element: Sendable, Match: Sendable>(
        of stream: AsyncStream<Element>,
        timeout: Duration?,
        matching match: @escaping @Sendable (Element) -> Match?
    ) async throws(StateMachineError) -> Match {
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        let outcome = await withTaskGroup(of: Result<Match, StateMachineError>?.self) { group in
            group.addTask {
                for await element in stream {
                    if let found = match(element) { return .success(found) }
                }
                return Task.isCancelled ? nil : .failure(.stopped)
            }
            if let deadline, let timeout {
                group.addTask { [clock] in
                    do {
                        try await clock.sleep(until: deadline, tolerance: nil)
                    } catch {
                        return nil
                    }
                    return .failure(.timedOut(after: timeout))
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch outcome {
        case .success(let found): return found
        case .failure(let error): throw error
        // Only when the waiting task itself was cancelled.
        case nil: throw .stopped
        }
    }
}
