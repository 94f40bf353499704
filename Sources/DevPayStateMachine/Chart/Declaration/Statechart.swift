/// A statechart: a tree of named states, the rules that move between them, the data they share and the
/// work they ask for, declared once and run by ``ChartMachine`` (or stepped purely by ``ChartCore``).
///
/// States are payload-free names (an enum without associated values); data lives in ``Context``, so a
/// state never needs a hand-written "name" mirror. Events are types (usually small structs nested in the
/// chart) conforming to ``ChartEvent``, so a rule for an event receives the event's payload typed, and a
/// call's reply is typed by the event (``ChartEvent/Reply``).
///
/// ```swift
/// struct Turnstile: Statechart {
///     enum State: ChartState { case locked, unlocked }
///     struct Coin: ChartEvent {}
///     struct Push: ChartEvent {}
///
///     var chart: Chart<Turnstile> {
///         Chart(initial: .locked) {
///             Node(.locked) { On(Coin.self, to: .unlocked) }
///             Node(.unlocked) { On(Push.self, to: .locked) }
///         }
///     }
/// }
/// ```
public protocol Statechart: Sendable {
    /// The chart's states: every case must appear exactly once as a ``Node`` of ``chart``.
    associatedtype State: ChartState
    /// The data the chart's actions read and change (XState's context, `gen_statem`'s data).
    associatedtype Context: Sendable = Void
    /// The work the chart asks its owner to perform, as data (sans I/O).
    associatedtype Effect: Sendable = Never

    /// The chart: its state tree, rules, entry and exit actions, timers and invoked effects.
    ///
    /// Read once when a machine or core is created; keep it a pure function of the definition's stored
    /// properties (durations, limits).
    var chart: Chart<Self> { get }
}

/// A state name of a ``Statechart``: an enum without associated values.
///
/// ```swift
/// enum State: ChartState { case idle, active, downloading, paused }
/// ```
public protocol ChartState: Hashable, Sendable, CaseIterable {}

/// An event a chart reacts to: a type whose stored properties are its payload.
///
/// Rules are keyed by the event's type, so the payload reaches the rule typed and no name enum has to
/// mirror the events. ``Reply`` is what a ``ChartMachine/call(_:)`` with this event returns.
///
/// ```swift
/// struct Progress: ChartEvent { var bytes: Int }
/// struct Start: ChartEvent { var url: String; typealias Reply = Int }   // a call answers with an Int
/// ```
public protocol ChartEvent: Sendable {
    /// What a call with this event returns when the chart answers it; `Void` unless declared.
    associatedtype Reply: Sendable = Void
    /// The name diagrams, graph queries and inspection records use; the type's name unless declared.
    static var eventName: String { get }
}

extension ChartEvent {
    public static var eventName: String { String(describing: Self.self) }
}

/// The event a chart receives when the caller of a pending ``ChartMachine/call(_:)`` is cancelled, so
/// the chart can stop work done on the caller's behalf. A chart without a rule for it ignores it (the
/// cancellation is still inspected).
public struct CallCancelled: ChartEvent {
    /// The call that was cancelled (compare with the ``ReplyToken/call`` of a stored token).
    public var call: CallID
    /// The name of the cancelled call's event.
    public var eventName: String

    /// Creates the event (the runtime sends it; tests may too).
    public init(call: CallID, eventName: String) {
        self.call = call
        self.eventName = eventName
    }
}

/// Identifies one ``ChartMachine/call(_:)`` while its reply is pending.
public struct CallID: Hashable, Sendable, CustomStringConvertible {
    /// The machine-wide sequence number of the call.
    public var rawValue: UInt64

    /// Creates a call identifier (for pure stepping with ``ChartCore``, where the caller numbers calls).
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public var description: String { "call #\(rawValue)" }
}

/// A promise to answer a call later, taken with ``Turn/replyLater()`` and redeemed with
/// ``Turn/answer(_:with:)`` in any later turn; keep it in the context.
public struct ReplyToken<Reply: Sendable>: Hashable, Sendable {
    /// The call this token answers.
    public var call: CallID

    /// Creates a token for `call`.
    public init(call: CallID) {
        self.call = call
    }
}
