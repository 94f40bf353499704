/// A machine's persistent form: its version, its state and its pending timers as absolute deadlines.
///
/// Take one with ``StateMachine/snapshot()`` and bring it back with
/// ``StateMachine/restore(_:definition:clock:effects:)``, which validates it and re-arms the timers; a
/// deadline already passed fires at once. Deadlines are instants of the machine's clock, so persist a
/// snapshot across processes only with a clock whose instants mean the same thing there.
public struct Snapshot<Machine: StateMachineDefinition, Instant: InstantProtocol>: Sendable {
    /// The definition's ``StateMachineDefinition/version`` when the snapshot was taken.
    public var version: Int
    /// The state.
    public var state: Machine.State
    /// The pending timers, earliest deadline first.
    public var timers: [PendingTimer<Machine.Event, Instant>]

    /// Creates a snapshot (for example to migrate one from an older version).
    public init(version: Int, state: Machine.State, timers: [PendingTimer<Machine.Event, Instant>]) {
        self.version = version
        self.state = state
        self.timers = timers
    }
}

extension Snapshot: Codable where Machine.State: Codable, Machine.Event: Codable, Instant: Codable {}
extension Snapshot: Equatable where Machine.Event: Equatable {}

/// Why a snapshot cannot be restored.
public enum SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The snapshot was taken by another version of the definition.
    case versionMismatch(expected: Int, found: Int)
    /// The snapshot's state appears nowhere in the transition table.
    case unknownState(String)
    /// The snapshot holds two timers of the same kind (two state timeouts, or one name twice).
    case duplicateTimer(TimerKind)

    public var description: String {
        switch self {
        case .versionMismatch(let expected, let found):
            "snapshot version \(found) does not match machine version \(expected)"
        case .unknownState(let name): "snapshot state \(name) is not in the transition table"
        case .duplicateTimer(let kind): "snapshot holds \(kind) twice"
        }
    }
}
