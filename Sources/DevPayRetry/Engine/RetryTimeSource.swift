/// The engine's view of an injected clock: offsets from the engine's creation, and sleeping.
///
/// Type-erasing the clock keeps ``RetryEngine`` a plain type that clients can store, whatever clock tests use.
struct RetryTimeSource: Sendable {
    /// The time since the engine was created.
    let now: @Sendable () -> Duration
    /// Sleeps for a duration on the clock; throws `CancellationError` when the task is cancelled.
    let sleep: @Sendable (Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        sleep = { duration in
            try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil)
        }
    }
}
