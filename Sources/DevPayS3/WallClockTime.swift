#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's wall clock, the default time source for signing (SigV2 and SigV4 sign the current UTC time).
public enum WallClockTime {
    /// Seconds since 1970-01-01T00:00:00Z, from `clock_gettime(CLOCK_REALTIME)`.
    @Sendable public static func secondsSince1970() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}
