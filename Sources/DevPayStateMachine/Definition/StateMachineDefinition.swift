/// A state of a machine: usually an enum, whose cases may carry associated values.
///
/// The transition table matches states by ``Name``, a payload-free discriminator, so that the table can be
/// enumerated (diagrams, coverage, graph queries) without inventing payloads. An enum without associated
/// values that is `CaseIterable` is its own name and needs no extra code:
///
/// ```swift
/// enum Door: MachineState, CaseIterable { case open, closed }
/// ```
///
/// An enum with payloads declares a name enum beside it:
///
/// ```swift
/// enum Connection: MachineState {
///     case idle, connecting(attempt: Int), connected(id: String)
///     enum Name: CaseIterable { case idle, connecting, connected }
///     var name: Name {
///         switch self {
///         case .idle: .idle
///         case .connecting: .connecting
///         case .connected: .connected
///         }
///     }
/// }
/// ```
public protocol MachineState: Hashable, Sendable {
    /// The payload-free discriminator of a state; every case appears in diagrams and graph queries.
    associatedtype Name: Hashable, Sendable, CaseIterable
    /// The discriminator of this state.
    var name: Name { get }
}

extension MachineState where Self: CaseIterable {
    /// A state without payloads is its own name.
    public var name: Self { self }
}

/// An event a machine reacts to: usually an enum, whose cases may carry associated values.
///
/// As with ``MachineState``, rules match events by ``Name``; a `CaseIterable` enum is its own name.
public protocol MachineEvent: Sendable {
    /// The payload-free discriminator of an event, as it appears in tables and diagrams.
    associatedtype Name: Hashable, Sendable
    /// The discriminator of this event.
    var name: Name { get }
}

extension MachineEvent where Self: CaseIterable {
    /// An event without payloads is its own name.
    public var name: Self { self }
}

/// How long the work started for an effect may run.
public enum EffectScope: Sendable, Hashable {
    /// The effect belongs to the state visit that started it: its task is cancelled when the machine leaves
    /// that state (or re-enters it with ``Reentry/reset``), and an event it returns afterwards is dropped
    /// and published as a ``RejectionReason/staleResult(startedIn:current:)`` rejection.
    case state
    /// The effect outlives state changes: it is cancelled only when the machine stops, and the event it
    /// returns is always delivered.
    case machine
}

/// The declaration of a state machine: its types, its transition table and its version.
///
/// A definition is a plain value, so a machine can be configured (durations, limits) when it is created.
/// The ``table`` is read once by ``TransitionTable`` users and by the ``StateMachine`` actor; keep it a pure
/// function of the definition's stored properties.
///
/// ```swift
/// struct Turnstile: StateMachineDefinition {
///     enum State: MachineState, CaseIterable, Codable { case locked, unlocked }
///     enum Event: MachineEvent, CaseIterable, Codable { case coin, push }
///     enum Effect: Sendable, Equatable { case unlatch, latch }
///
///     var table: TransitionTable<Turnstile> {
///         TransitionTable {
///             Rule(from: .locked, on: .coin, to: State.unlocked, effects: [.unlatch])
///             Rule(from: .unlocked, on: .push, to: State.locked, effects: [.latch])
///         }
///     }
/// }
/// ```
public protocol StateMachineDefinition: Sendable {
    /// The machine's states.
    associatedtype State: MachineState
    /// The events the machine reacts to (from callers, timers and effect results alike).
    associatedtype Event: MachineEvent
    /// The work a transition asks for, as data the machine's owner interprets.
    associatedtype Effect: Sendable

    /// The declared transitions.
    var table: TransitionTable<Self> { get }

    /// The version written into snapshots; a snapshot of another version is refused on restore.
    var version: Int { get }

    /// Whether the work for `effect` is cancelled when the state that started it is left.
    func scope(of effect: Effect) -> EffectScope
}

extension StateMachineDefinition {
    /// Version 1 unless the definition says otherwise.
    public var version: Int { 1 }

    /// Every effect is scoped to the state that started it unless the definition says otherwise.
    public func scope(of effect: Effect) -> EffectScope { .state }
}
