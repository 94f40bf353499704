import DevPayRetry

/// When the lifecycle asks the License Service again after a subscription check got no answer (no network,
/// name resolution, throttling that outlasted the client's own retries).
///
/// This is the lifecycle's "try again later", not a retry loop: each check is one call, retried inside the
/// License Service client by its `RetryEngine` (one layer owns a call's retries, docs/ARCHITECTURE.md); the
/// chart only decides when the next call is due. The delay after failed check `n` is the retry policies' own
/// capped exponential backoff, `min(first · 2^(n−1), maximum)`, with "equal jitter": a draw in `[½, 1)` of
/// it, so a fleet of apps that went offline together spreads out, and no re-check ever follows sooner than
/// half the first delay.
///
/// The draw is a pure function of ``jitterSeed`` and `n`, so the chart stays a pure value;
/// ``LifecycleConfiguration``'s default schedule draws the seed from the system's generator, and tests pass a
/// schedule with a fixed seed.
public struct RecheckSchedule: Sendable, Hashable {
    /// The ceiling after the first failed check.
    public var firstDelay: Duration
    /// The largest ceiling.
    public var maximumDelay: Duration
    /// Picks this client's jitter draws.
    public var jitterSeed: UInt64

    /// Creates a schedule.
    public init(firstDelay: Duration, maximumDelay: Duration, jitterSeed: UInt64) {
        self.firstDelay = firstDelay
        self.maximumDelay = max(firstDelay, maximumDelay)
        self.jitterSeed = jitterSeed
    }

    /// 30 s after the first failed check, doubling up to 15 minutes (docs/lifecycle.md says why).
    public static func standard(jitterSeed: UInt64) -> RecheckSchedule {
        RecheckSchedule(firstDelay: .seconds(30), maximumDelay: .seconds(15 * 60), jitterSeed: jitterSeed)
    }

    /// The wait after failed check number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let backoff = StandardRetryPolicy(
            maxAttempts: 1, transientBaseDelay: firstDelay, maxBackoff: maximumDelay, retryQuota: nil)
        return backoff.backoff(afterAttempt: max(attempt, 1), errorClass: .transient, randomDraw: 0.5 + draw(attempt) / 2)
    }

    /// A uniform draw in `[0, 1)` for `attempt`: SplitMix64 of the seed and the attempt.
    func draw(_ attempt: Int) -> Double {
        var mixed = jitterSeed &+ UInt64(truncatingIfNeeded: attempt) &* 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        return Double(mixed >> 11) / Double(1 << 53)
    }
}
