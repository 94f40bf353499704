extension DevPayLifecycle {
    /// Waits until the customer is subscribed and returns ``ActivationState/subscribed``.
    ///
    /// Returns at once when already subscribed. After ``activate(key:)`` the lifecycle polls the subscription
    /// by itself; this is the call that lets a program continue once that polling succeeds:
    ///
    /// ```swift
    /// try await lifecycle.activate(key: keyTheCustomerTyped)
    /// try await lifecycle.waitUntilSubscribed(timeout: .seconds(120))
    /// ```
    ///
    /// - Parameter timeout: how long to wait, on the lifecycle's clock (``LifecycleConfiguration/clock``).
    /// - Throws: ``DevPayLifecycleError/notSubscribed(_:)`` with the state at that moment when `timeout` passes
    ///   first, or as soon as the lifecycle rests where it cannot become subscribed without the app
    ///   (``ActivationState/unactivated``, ``ActivationState/expiredNeedsReactivation(_:)``);
    ///   ``DevPayLifecycleError/shutDown`` if the lifecycle stops.
    @discardableResult
    public func waitUntilSubscribed(timeout: Duration) async throws(DevPayLifecycleError) -> ActivationState {
        let states = await machine.states()
        let clock = configuration.clock
        let outcome = await withTaskGroup(of: SubscriptionWait.self) { group in
            group.addTask {
                for await state in states {
                    switch state {
                    case .subscribed: return .subscribed
                    case .unactivated, .expiredNeedsReactivation: return .stuck(state)
                    default: continue
                    }
                }
                return Task.isCancelled ? .interrupted : .stopped
            }
            group.addTask {
                try? await clock.sleep(for: timeout)
                return .interrupted
            }
            let first = await group.next() ?? .interrupted
            group.cancelAll()
            return first
        }
        switch outcome {
        case .subscribed: return .subscribed
        case .stuck(let state): throw .notSubscribed(state)
        case .stopped: throw .shutDown
        // The timeout passed (or the waiting task was cancelled): report where the lifecycle stands now.
        case .interrupted: throw .notSubscribed(await machine.state)
        }
    }
}

/// How a wait for the subscription ended.
private enum SubscriptionWait: Sendable {
    case subscribed
    /// Resting in a state that needs the app (a key) before it can become subscribed.
    case stuck(ActivationState)
    /// The lifecycle stopped.
    case stopped
    /// The timeout passed, or the waiting task was cancelled.
    case interrupted
}
