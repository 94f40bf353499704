import DevPayStateMachine
import PropertyBased
import Testing

/// A stateful property test: random command sequences run against the `StateMachine` actor in lockstep
/// with the pure `MachineModel`, on a ``ManualClock``.
///
/// After every command the harness checks that the actor did what the model predicts (the same transition,
/// state, state visit and pending timers) and that every invariant holds. A command whose precondition
/// fails in the model's current state is skipped when the sequence runs, so a sequence shrunk by dropping
/// commands is still valid. On failure the harness reduces the sequence itself (dropping commands while the
/// failure persists) and reports the minimal sequence; swift-property-based reports the seed to replay with
/// `.fixedSeed(...)`. Every transition taken is counted in ``coverage``.
///
/// Effects are compared as data (they are part of each transition) and not performed; events that effect
/// results would send can be generated as ordinary commands.
///
/// ```swift
/// @Test func connectionBehaves() async {
///     let check = StatefulMachineCheck(Connection(), initialState: .idle, invariants: [
///         Invariant("attempts stay in range") { state in ... },
///     ])
///     await check.run(count: 200, commands: .sequences(events: Gen<Connection.Event>.case))
///     check.coverage.expectComplete()
/// }
/// ```
public struct StatefulMachineCheck<Machine: StateMachineDefinition>: Sendable
where Machine.Event: Equatable, Machine.Effect: Equatable {
    /// The machine's state type.
    public typealias State = Machine.State
    /// One step of a sequence.
    public typealias Command = MachineCommand<Machine>

    /// The machine under test.
    public let definition: Machine
    /// The state each sequence starts in.
    public let initialState: State
    /// Decides, from the model's state, whether a command may run now; a command that may not is skipped.
    public let precondition: @Sendable (State, Command) -> Bool
    /// Checked on the machine's state after every command.
    public let invariants: [Invariant<Machine>]
    /// The transitions exercised by every sequence run so far.
    public let coverage: TransitionCoverage<Machine>

    private let table: TransitionTable<Machine>

    /// Creates a check.
    public init(
        _ definition: Machine,
        initialState: State,
        precondition: @escaping @Sendable (State, Command) -> Bool = { _, _ in true },
        invariants: [Invariant<Machine>] = []
    ) {
        self.definition = definition
        self.initialState = initialState
        self.precondition = precondition
        self.invariants = invariants
        self.table = definition.table
        self.coverage = TransitionCoverage(table)
    }

    /// Runs `count` random sequences from `commands` through swift-property-based and records an issue for
    /// the first failing one, with its minimal form (the seed is reported by swift-property-based).
    public func run<Shrinks: Sequence>(
        count: Int = 100,
        commands: Generator<[Command], Shrinks>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        await propertyCheck(
            count: count, input: commands,
            perform: { sequence in
                if let failure = await execute(sequence) {
                    let minimal = await minimize(failure)
                    Issue.record(Comment(rawValue: minimal.report), sourceLocation: sourceLocation)
                }
            },
            sourceLocation: sourceLocation)
    }

    /// Runs `count` sequences drawn from `commands` with a generator seeded by `seed`: the same sequences on
    /// every run, so coverage and outcome are reproducible in CI. The first failing sequence is reduced to
    /// its minimal form and recorded with the seed and its position.
    public func run<Shrinks: Sequence>(
        count: Int = 100,
        seed: UInt64,
        commands: Generator<[Command], Shrinks>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        var seeder = DevPayStateMachine.SeededRandomNumberGenerator(seed: seed)
        var random = Xoshiro(seed: (seeder.next(), seeder.next(), seeder.next(), seeder.next()))
        for position in 0..<count {
            let sequence = commands.run(using: &random)
            if let failure = await execute(sequence) {
                let minimal = await minimize(failure)
                Issue.record(
                    Comment(rawValue: "\(minimal.report)\nReplay: run(count: \(count), seed: \(seed), ...), sequence #\(position + 1)."),
                    sourceLocation: sourceLocation)
                return
            }
        }
    }

    /// What went wrong in one sequence.
    public struct Failure: Sendable, CustomStringConvertible {
        /// The commands that ran (those whose precondition held), up to and including the failing one.
        public var executed: [Command]
        /// What the harness found.
        public var message: String

        public var description: String { report }

        var report: String {
            let steps = executed.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n")
            return "Stateful check failed after \(executed.count) command(s): \(message)\nMinimal sequence:\n\(steps)"
        }
    }

    /// Runs one sequence against a fresh machine and model; returns the first discrepancy, if any.
    public func execute(_ commands: [Command]) async -> Failure? {
        let clock = ManualClock()
        let machine = StateMachine(definition, initialState: initialState, clock: clock) { _, _ in nil }
        var executed: [Command] = []
        let message = await run(commands, on: machine, clock: clock, executed: &executed)
        await machine.stop()
        return message.map { Failure(executed: executed, message: $0) }
    }

    private func run(
        _ commands: [Command],
        on machine: StateMachine<Machine, ManualClock>,
        clock: ManualClock,
        executed: inout [Command]
    ) async -> String? {
        var model = MachineModel(table: table, initialState: initialState, now: clock.now)
        var applied: UInt64 = 0
        if let broken = invariants.first(where: { !$0.holds(initialState) }) {
            return "invariant \"\(broken.name)\" does not hold in the initial state \(initialState)"
        }
        for command in commands where precondition(model.state, command) {
            executed.append(command)
            switch command {
            case .send(let event):
                let expected = model.send(event)
                coverage.record(expected)
                applied += UInt64(expected.count)
                let actual = await machine.send(event)
                if actual != expected[0] {
                    return "the machine did \(actual) but the model says \(expected[0])"
                }
            case .advance(let duration):
                let target = model.now.advanced(by: duration)
                // One deadline at a time, as real time would pass: the machine's timer task must be asleep
                // until that instant before the clock moves, then the harness waits until it has fired.
                while let deadline = model.nextDeadline, deadline <= target {
                    let fired = model.advance(to: deadline)
                    coverage.record(fired)
                    applied += UInt64(fired.count)
                    if deadline > clock.now {
                        await clock.waitForSleeper(until: deadline)
                        clock.advance(to: deadline)
                    }
                    await machine.waitUntilApplied(applied)
                }
                _ = model.advance(to: target)
                clock.advance(to: target)
            }
            if let mismatch = await compare(machine, with: model) {
                return mismatch
            }
            let state = await machine.state
            if let broken = invariants.first(where: { !$0.holds(state) }) {
                return "invariant \"\(broken.name)\" does not hold in \(state)"
            }
        }
        return nil
    }

    private func compare(
        _ machine: StateMachine<Machine, ManualClock>,
        with model: MachineModel<Machine, ManualClock.Instant>
    ) async -> String? {
        let (state, generation, timers) = await (machine.state, machine.generation, machine.pendingTimers)
        if state != model.state {
            return "the machine is in \(state) but the model in \(model.state)"
        }
        if generation != model.generation {
            return "the machine is in state visit \(generation) but the model in \(model.generation)"
        }
        if timers != model.pendingTimers {
            return "the machine's pending timers \(timers) differ from the model's \(model.pendingTimers)"
        }
        return nil
    }

    /// Reduces a failing sequence: drops commands one at a time while it still fails, until no single
    /// command can go. Runs are deterministic (manual clock, no effects performed), so this converges.
    public func minimize(_ failure: Failure) async -> Failure {
        var smallest = failure
        var index = 0
        while index < smallest.executed.count {
            var candidate = smallest.executed
            candidate.remove(at: index)
            if let smaller = await execute(candidate) {
                smallest = smaller
                index = 0
            } else {
                index += 1
            }
        }
        return smallest
    }
}
