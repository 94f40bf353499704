#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The emulator's notion of now: the injected wall clock shifted by an offset, or frozen at an instant.
///
/// Tests freeze it for determinism; the demo advances it to make a token or a key expire without waiting.
public struct EmulatorClock: Codable, Sendable, Equatable {
    /// Seconds added to the wall clock while running.
    public private(set) var offset: TimeInterval
    /// When set, time stands still here until advanced or set.
    public private(set) var frozenAt: Date?

    /// A clock that follows the wall clock.
    public static var live: EmulatorClock { EmulatorClock(offset: 0, frozenAt: nil) }

    /// A clock that stands still at `instant` until advanced.
    public static func frozen(at instant: Date) -> EmulatorClock { EmulatorClock(offset: 0, frozenAt: instant) }

    /// Now, given the wall clock's reading.
    public func now(wall: Date) -> Date { frozenAt ?? wall.addingTimeInterval(offset) }

    /// Moves time forward (or back, with a negative amount) by `seconds`.
    public mutating func advance(by seconds: TimeInterval) {
        if let frozenAt { self.frozenAt = frozenAt.addingTimeInterval(seconds) } else { offset += seconds }
    }

    /// Jumps to `instant`; a frozen clock stays frozen, a running one keeps running from there.
    public mutating func set(to instant: Date, wall: Date) {
        if frozenAt != nil { frozenAt = instant } else { offset = instant.timeIntervalSince(wall) }
    }
}
