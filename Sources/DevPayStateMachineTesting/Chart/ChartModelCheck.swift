public import DevPayStateMachine
public import Testing

/// A model of a chart that the test writes itself, in plain Swift, sharing no code with the framework: the
/// oracle ``ChartModelCheck`` holds the running ``ChartMachine`` to. Because the model is not stepped by
/// ``ChartCore``, a bug in the core or the actor shows up as a disagreement instead of being reproduced
/// by both sides.
///
/// The model also predicts the effects: how many handler invocations the chart has started, and which
/// requests they are waiting on (through the test's ``EffectScript``), oldest first.
public protocol ChartModel: Sendable {
    /// The chart modelled.
    associatedtype Definition: Statechart
    /// What an effect asks its scripted dependency.
    associatedtype Request: Sendable & Equatable
    /// What the script answers.
    associatedtype Response: Sendable

    /// The leaf state the chart should be in.
    var state: Definition.State { get }
    /// The context the chart should have.
    var context: Definition.Context { get }
    /// The effect handler invocations the chart should have started so far.
    var effectsStarted: Int { get }
    /// The requests the running (or cancelled but unanswered) effects should be waiting on, oldest first.
    var pendingRequests: [Request] { get }

    /// Applies an event sent from outside.
    mutating func send(_ event: any ChartEvent)
    /// Lets `duration` pass (timers fire).
    mutating func advance(by duration: Duration)
    /// The request at `index` of ``pendingRequests`` is answered with `response`; the effect's result
    /// reaches the chart unless the effect was cancelled (then the chart must drop it).
    mutating func answer(_ index: Int, with response: Response)
}

/// One step of a ``ChartModelCheck`` sequence.
public enum ChartModelCommand<Response: Sendable>: Sendable, CustomStringConvertible {
    /// Sends an event to the machine and the model.
    case send(any ChartEvent)
    /// Moves the manual clock forward; timers fire at their deadlines.
    case advance(Duration)
    /// Answers the pending request at this index (oldest first) with the response.
    case answer(Int, Response)

    public var description: String {
        switch self {
        case .send(let event): "send(\(event))"
        case .advance(let duration): "advance(\(duration))"
        case .answer(let index, let response): "answer(#\(index), \(response))"
        }
    }
}

/// A seeded stateful property test of a chart: random command sequences run on a ``ChartMachine`` (with
/// the chart's real effect handler, its dependency scripted by an ``EffectScript``, on a ``ManualClock``)
/// and on an independent ``ChartModel``; after every command the machine's state, context and the
/// effects' pending requests must equal the model's.
///
/// Answering a request whose effect was cancelled makes the handler send a stale result, so the machine's
/// stale-result handling is tested as part of every sequence.
///
/// ```swift
/// let check = ChartModelCheck(Transfer(), context: .init(), model: TransferModel()) { script in
///     Transfer.effects(network: ScriptedNetwork(script))
/// }
/// await check.run(count: 100, seed: 1) { model, random in ... a command valid in `model` ... }
/// ```
public struct ChartModelCheck<Model: ChartModel>: Sendable where Model.Definition.Context: Equatable {
    public typealias Definition = Model.Definition
    public typealias Script = EffectScript<Model.Request, Model.Response>
    public typealias Command = ChartModelCommand<Model.Response>

    let definition: Definition
    let context: Definition.Context
    let model: Model
    let effects: @Sendable (Script) -> ChartMachine<Definition, ManualClock>.EffectHandler

    /// Creates a check; `effects` builds the chart's real effect handler on a script.
    public init(
        _ definition: Definition,
        context: Definition.Context,
        model: Model,
        effects: @escaping @Sendable (Script) -> ChartMachine<Definition, ManualClock>.EffectHandler
    ) {
        self.definition = definition
        self.context = context
        self.model = model
        self.effects = effects
    }

    /// Runs `count` sequences of up to `length` commands, each drawn by `command` from the model's state
    /// with a generator seeded from `seed`; records an issue for the first disagreement, with the seed, the
    /// sequence number and the commands up to it.
    public func run(
        count: Int = 100,
        seed: UInt64,
        length: Int = 30,
        sourceLocation: SourceLocation = #_sourceLocation,
        command: @Sendable (Model, inout SeededRandomNumberGenerator) -> Command
    ) async {
        var random = SeededRandomNumberGenerator(seed: seed)
        for sequence in 1...max(count, 1) {
            if let failure = await runOne(length: length, random: &random, command: command) {
                let steps = failure.commands.enumerated().map { "  \($0.offset + 1). \($0.element)" }.joined(separator: "\n")
                Issue.record(
                    Comment(rawValue: "\(failure.message)\nSeed \(seed), sequence #\(sequence), after:\n\(steps)"),
                    sourceLocation: sourceLocation)
                return
            }
        }
    }

    private struct Failure {
        var message: String
        var commands: [Command]
    }

    private func runOne(
        length: Int,
        random: inout SeededRandomNumberGenerator,
        command: (Model, inout SeededRandomNumberGenerator) -> Command
    ) async -> Failure? {
        let clock = ManualClock()
        let script = Script()
        let handler = effects(script)
        let machine = await ChartMachine(definition, context: context, clock: clock) { effect, io in
            await script.track {
                // An effect cancelled before its task began never runs, as on a real machine under load.
                guard !Task.isCancelled else { return }
                await handler(effect, io)
            }
        }
        var model = self.model
        var done: [Command] = []
        defer { script.finish() }
        if let mismatch = await compare(machine, script, model) {
            await machine.stop()
            return Failure(message: mismatch, commands: done)
        }
        for _ in 0..<length {
            let next = command(model, &random)
            done.append(next)
            switch next {
            case .send(let event):
                model.send(event)
                await send(event, to: machine)
            case .advance(let duration):
                model.advance(by: duration)
                await advance(clock, by: duration, machine: machine)
            case .answer(let index, let response):
                guard index < script.pendingRequests.count else {
                    await machine.stop()
                    return Failure(message: "no pending request #\(index) to answer", commands: done)
                }
                model.answer(index, with: response)
                script.answer(index, with: response)
            }
            if let mismatch = await compare(machine, script, model) {
                await machine.stop()
                return Failure(message: mismatch, commands: done)
            }
        }
        await machine.stop()
        return nil
    }

    private func send<Event: ChartEvent>(_ event: Event, to machine: ChartMachine<Definition, ManualClock>) async {
        await machine.send(event)
    }

    /// Moves the clock to each deadline in turn, as real time would pass, once the timers armed by then
    /// are asleep on it, and lets each woken timer reach the machine.
    private func advance(_ clock: ManualClock, by duration: Duration, machine: ChartMachine<Definition, ManualClock>) async {
        let target = clock.now.advanced(by: duration)
        while true {
            await waitForTimersAsleep(clock, machine)
            guard let deadline = clock.nextDeadline, deadline <= target else { break }
            let armedBefore = await machine.armedTimers
            clock.advance(to: deadline)
            // The woken timer's task applies its event on the actor; a timer that re-arms itself leaves the
            // set unchanged, hence the bound.
            _ = await waitUntil { await machine.armedTimers != armedBefore }
        }
        clock.advance(to: target)
    }

    private func waitForTimersAsleep(_ clock: ManualClock, _ machine: ChartMachine<Definition, ManualClock>) async {
        _ = await waitUntil { clock.sleeperCount >= (await machine.armedTimers.count) }
    }

    /// Waits for a fact that tasks of the machine will make true (a timer asleep, a timer's event applied,
    /// an effect's handler begun), yielding to them; `false` if it is still untrue after many turns, which
    /// happens only when the machine and the model disagree (the comparison that follows reports it).
    private func waitUntil(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<10_000 {
            if await condition() { return true }
            await Task.yield()
        }
        return await condition()
    }

    private func compare(
        _ machine: ChartMachine<Definition, ManualClock>, _ script: Script, _ model: Model
    ) async -> String? {
        // The effects' handlers run in tasks of their own: wait until the model's count of invocations has
        // begun and every running one waits on the script (or returned), or until more have begun.
        _ = await waitUntil { script.entered >= model.effectsStarted }
        await script.settled()
        if script.entered != model.effectsStarted {
            return "the machine started \(script.entered) effect(s), the model \(model.effectsStarted)"
        }
        let (state, context) = await (machine.state, machine.context)
        if state != model.state {
            return "the machine is in \(state), the model in \(model.state)"
        }
        if context != model.context {
            return "the machine's context \(context) differs from the model's \(model.context)"
        }
        if script.pendingRequests != model.pendingRequests {
            return "the effects wait on \(script.pendingRequests), the model says \(model.pendingRequests)"
        }
        return nil
    }
}
