import DevPayStateMachine
import PropertyBased

/// One step of a stateful property test: send an event, or let time pass on the manual clock.
public enum MachineCommand<Machine: StateMachineDefinition>: Sendable, CustomStringConvertible {
    /// Sends the event to the machine (and to the model).
    case send(Machine.Event)
    /// Moves the clock forward; timers that come due fire in order, each at its deadline.
    case advance(Duration)

    public var description: String {
        switch self {
        case .send(let event): "send(\(event))"
        case .advance(let duration): "advance(\(duration))"
        }
    }

    /// A generator of command sequences: events from `events`, with a clock advance from `delays` about one
    /// time in `1 / delayWeight`.
    ///
    /// The arrays shrink by dropping commands, which stays valid because preconditions are checked when a
    /// sequence runs, not when it is generated.
    public static func sequences<Events: Sequence & SendableMetatype>(
        events: Generator<Machine.Event, Events>,
        delays: ClosedRange<Duration> = .seconds(1)...(.seconds(60)),
        delayWeight: Double = 0.2,
        length: ClosedRange<Int> = 0...40
    ) -> Generator<[MachineCommand], some Sequence & SendableMetatype> {
        Gen.frequency(
            (weight: 1 - delayWeight, gen: events.map { MachineCommand.send($0) }),
            (weight: delayWeight, gen: Gen.duration(in: delays).map { MachineCommand.advance($0) })
        )
        .array(of: length)
    }
}

extension MachineCommand: Equatable where Machine.Event: Equatable {}

/// A property of the machine's state that must hold after every step.
public struct Invariant<Machine: StateMachineDefinition>: Sendable {
    /// What the invariant says, for failure reports.
    public var name: String
    /// Whether `state` satisfies it.
    public var holds: @Sendable (Machine.State) -> Bool

    /// Creates an invariant.
    public init(_ name: String, _ holds: @escaping @Sendable (Machine.State) -> Bool) {
        self.name = name
        self.holds = holds
    }
}
