#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A clock whose instants are UTC times (since the Unix epoch), so that a ``Snapshot`` taken with it is
/// `Codable` and its timer deadlines keep their meaning when the app restarts.
///
/// Inject it where timers must survive a restart (for example "verify the subscription again at 09:00");
/// in tests, use a manual clock instead. Sleeping measures the time left when it starts and waits that long
/// on `ContinuousClock`, so a wall-clock change during a sleep shifts the wake-up (the instants in snapshots
/// and transition records stay UTC).
public struct UTCClock: Clock, Sendable {
    /// A UTC time: the duration since 1970-01-01T00:00:00Z.
    public struct Instant: InstantProtocol, Codable, Hashable, Sendable, CustomStringConvertible {
        /// Time since the Unix epoch.
        public var sinceUnixEpoch: Duration

        /// Creates the instant `sinceUnixEpoch` after the Unix epoch.
        public init(sinceUnixEpoch: Duration) {
            self.sinceUnixEpoch = sinceUnixEpoch
        }

        public func advanced(by duration: Duration) -> Instant {
            Instant(sinceUnixEpoch: sinceUnixEpoch + duration)
        }

        public func duration(to other: Instant) -> Duration {
            other.sinceUnixEpoch - sinceUnixEpoch
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.sinceUnixEpoch < rhs.sinceUnixEpoch
        }

        public var description: String { "UTC \(sinceUnixEpoch) since 1970" }
    }

    /// Creates the clock.
    public init() {}

    public var now: Instant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Instant(sinceUnixEpoch: .seconds(Int64(time.tv_sec)) + .nanoseconds(Int64(time.tv_nsec)))
    }

    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let remaining = now.duration(to: deadline)
        guard remaining > .zero else {
            try Task.checkCancellation()
            return
        }
        try await ContinuousClock().sleep(for: remaining, tolerance: tolerance)
    }
}
