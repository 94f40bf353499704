import DequeModule

/// A statechart as a pure value: the active states, the context and the bookkeeping of effects, timers,
/// postponed events and promised replies, stepped by events. No clock, no tasks: each step lists what it
/// asks for in ``commands`` (and, when ``isTracing``, what happened in ``trace``).
///
/// ``ChartMachine`` runs one on an actor; tests step one directly.
///
/// ```swift
/// var core = ChartCore(Turnstile(), context: ())
/// core.send(Turnstile.Coin())          // .handled
/// core.state                           // .unlocked
/// ```
public struct ChartCore<Definition: Statechart>: Sendable {
    /// The chart's data.
    public var context: Definition.Context
    @usableFromInline var requests: [TurnRequest<Definition>] = []
    @usableFromInline var work: Work

    /// Creates a core in the chart's initial state, entering it (entry actions, invoked effects and
    /// declared timers appear in ``commands``).
    ///
    /// - Precondition: the chart has no ``Chart/issues``.
    @inlinable public init(_ definition: Definition, context: Definition.Context, tracing: Bool = false) {
        let chart = definition.chart
        precondition(chart.issues.isEmpty, "the chart of \(Definition.self) has issues: \(chart.issues)")
        self.context = context
        self.work = Work(chart: chart, tracing: tracing)
        withTurn(call: nil) { work, base in
            work.enterPath(from: 0, to: chart.initialLeaf, base: base)
            work.descend(from: chart.initialLeaf, history: false, base: base)
        }
        drain()
    }

    // MARK: Reading

    /// The compiled chart.
    @inlinable public var chart: Chart<Definition> { work.chart }

    /// The active leaf state.
    @inlinable public var state: Definition.State { work.chart.nodes[work.active].state! }

    /// The active states, outermost first, ending with ``state``.
    @inlinable public var activeStates: [Definition.State] {
        var states: [Definition.State] = []
        var node = work.active
        while node > 0 {
            states.append(work.chart.nodes[node].state!)
            node = work.chart.nodes[node].parent
        }
        return states.reversed()
    }

    /// Whether `state` is active (the leaf or one of its ancestors).
    @inlinable public func isActive(_ state: Definition.State) -> Bool {
        guard let node = work.chart.nodeOfState[state] else { return false }
        return work.chart.isAncestor(node, of: work.active)
    }

    /// What the last step asked for, in order.
    @inlinable public var commands: [ChartCommand<Definition>] { work.commands }

    /// What happened in the last step, in order (empty unless ``isTracing``).
    @inlinable public var trace: [InspectionRecord<Definition>] { work.trace }

    /// Whether steps record ``trace``; off by default so that a step allocates nothing.
    @inlinable public var isTracing: Bool {
        get { work.tracing }
        set { work.tracing = newValue }
    }

    /// The events waiting for a change of state, oldest first.
    @inlinable public var postponedEvents: [any ChartEvent] { work.postponed.map(\.event) }

    /// The effects still running, by identifier.
    @inlinable public var runningEffects: Set<EffectID> { Set(work.liveEffects.keys) }

    /// The armed timers.
    @inlinable public var armedTimers: Set<TimerID<Definition.State>> {
        Set(work.timers.keys.map { work.timerID($0) })
    }

    // MARK: Stepping

    /// Offers `event` (as the call `call`, if given) and runs to completion: the event, the events its
    /// rules raised and the postponed events a change of state released.
    @discardableResult
    @inlinable public mutating func send<Event: ChartEvent>(_ event: Event, call: CallID? = nil) -> Disposition {
        work.beginStep()
        let disposition = dispatch(event, call: call)
        drain()
        return disposition
    }

    /// Offers `event`, whose type is known only at run time (a timer's or postponed event).
    @discardableResult
    @inlinable public mutating func send(any event: any ChartEvent, call: CallID? = nil) -> Disposition {
        send(event, call: call)
    }

    /// Delivers the event an effect sent: handled as any event while the effect runs, dropped (and traced
    /// as ``InspectionRecord/effectResultDropped(_:event:in:)``) once it was cancelled or finished.
    @discardableResult
    @inlinable public mutating func deliver<Event: ChartEvent>(_ event: Event, from effect: EffectID) -> Disposition? {
        guard work.liveEffects[effect] != nil else {
            work.beginStep()
            if work.tracing {
                let record: InspectionRecord<Definition> = .effectResultDropped(effect, event: event, in: state)
                work.trace.append(record)
            }
            return nil
        }
        return send(event)
    }

    /// Records that an effect's work returned: its later events are dropped.
    @inlinable public mutating func effectFinished(_ effect: EffectID) {
        work.beginStep()
        guard let scope = work.liveEffects.removeValue(forKey: effect) else { return }
        work.effectsIn[scope + 1].removeAll { $0 == effect }
        if work.tracing {
            let record: InspectionRecord<Definition> = .effectFinished(effect)
            work.trace.append(record)
        }
    }

    /// Fires the timer armed with `generation`: its event is handled as any event. A timer disarmed or
    /// re-armed since does nothing (returns `nil`).
    @discardableResult
    @inlinable public mutating func fire(_ timer: TimerID<Definition.State>, generation: UInt64) -> Disposition? {
        work.beginStep()
        let key = work.timerKey(timer)
        guard let armed = work.timers[key], armed.generation == generation else { return nil }
        work.disarm(key, cancelled: false)
        if work.tracing {
            let record: InspectionRecord<Definition> = .timerFired(timer)
            work.trace.append(record)
        }
        let disposition = dispatch(any: armed.event, call: nil)
        drain()
        return disposition
    }

    /// Tells the chart that the caller of `call` is gone: the call is failed with
    /// ``CallError/cancelled``, a later answer is dropped, and the chart receives ``CallCancelled``.
    @inlinable public mutating func cancelCall(_ call: CallID, eventName: String) {
        work.beginStep()
        work.promised.remove(call)
        for index in work.postponed.indices where work.postponed[index].call == call {
            work.postponed[index].call = nil
        }
        work.commands.append(.fail(call, .cancelled))
        if work.tracing {
            let record: InspectionRecord<Definition> = .callFailed(call, .cancelled)
            work.trace.append(record)
        }
        _ = dispatch(CallCancelled(call: call, eventName: eventName), call: nil, quietWhenRejected: true)
        drain()
    }

    /// Fails every pending call with ``CallError/stopped`` and forgets running effects and timers.
    @inlinable public mutating func stop() {
        work.beginStep()
        var calls = work.promised
        for pending in work.postponed { if let call = pending.call { calls.insert(call) } }
        for call in calls.sorted(by: { $0.rawValue < $1.rawValue }) {
            work.commands.append(.fail(call, .stopped))
            if work.tracing {
                let record: InspectionRecord<Definition> = .callFailed(call, .stopped)
                work.trace.append(record)
            }
        }
        work.promised.removeAll()
        work.postponed.removeAll()
        for effect in work.liveEffects.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            work.commands.append(.cancelEffect(effect))
            if work.tracing {
                let record: InspectionRecord<Definition> = .effectCancelled(effect)
                work.trace.append(record)
            }
        }
        work.liveEffects.removeAll()
        for index in work.effectsIn.indices { work.effectsIn[index].removeAll() }
        for key in work.timers.keys.sorted(by: { ($0.node, $0.name) < ($1.node, $1.name) }) {
            let id = work.timerID(key)
            work.commands.append(.cancelTimer(id))
            if work.tracing { work.trace.append(.timerCancelled(id)) }
        }
        work.timers.removeAll()
    }

    // MARK: Dispatch

    @inlinable mutating func dispatch(any event: any ChartEvent, call: CallID?) -> Disposition {
        dispatch(event, call: call)
    }

    /// Finds the first rule of the active leaf or its ancestors for `Event` whose guard holds, and takes it.
    @inlinable mutating func dispatch<Event: ChartEvent>(
        _ event: Event, call: CallID?, quietWhenRejected: Bool = false
    ) -> Disposition {
        let id = ObjectIdentifier(Event.self)
        let tables = work.chart.tables
        let range = tables.candidateRange[work.active]
        var index = range.lowerBound
        while index < range.upperBound {
            let candidate = tables.candidates[index]
            index += 1
            guard candidate.event == id else { continue }
            let rule = tables.hotRules[candidate.rule]
            if rule.hasGuard {
                let check = tables.guards[candidate.rule].unsafelyUnwrapped.run
                let holds = withUnsafeMutablePointer(to: &context) { context in
                    withUnsafePointer(to: event) { check($0, context) }
                }
                guard holds else { continue }
            }
            switch rule.move {
            case .postpone:
                work.postponed.append(Pending(event: event, call: call))
                if work.tracing {
                    let record: InspectionRecord<Definition> = .postponed(event: event, in: state)
                    work.trace.append(record)
                }
                return .postponed
            case .stay:
                take(rule, candidate.rule, target: -1, history: false, reenter: false, event: event, call: call)
            case .go(let target, let history, let reenter):
                take(rule, candidate.rule, target: target, history: history, reenter: reenter, event: event, call: call)
            }
            if let call { work.settle(call, answersVoid: rule.answersVoid, eventName: Event.eventName) }
            return .handled
        }
        if !quietWhenRejected || work.tracing {
            if work.tracing {
                let record: InspectionRecord<Definition> = .rejected(event: event, in: state)
                work.trace.append(record)
            }
        }
        if let call {
            let error = CallError.rejected(state: "\(state)", event: Event.eventName)
            work.commands.append(.fail(call, error))
            if work.tracing {
                let record: InspectionRecord<Definition> = .callFailed(call, error)
                work.trace.append(record)
            }
        }
        return .rejected
    }

    /// Takes a rule: an internal transition (`target` -1) runs the action only; otherwise exit up to the
    /// domain, run the action, enter down to the target and its initial (or remembered) children.
    @inlinable mutating func take<Event: ChartEvent>(
        _ rule: Chart<Definition>.HotRule, _ ruleIndex: Int, target targetNode: Int, history: Bool, reenter: Bool,
        event: Event, call: CallID?
    ) {
        let source = rule.source
        let from = work.active
        work.beginTurn(call: call)
        guard targetNode >= 0 else {
            if rule.hasAction {
                withTurn(call: call) { work, base in
                    Self.run(work.chart.tables.actions[ruleIndex].unsafelyUnwrapped, event, base)
                    work.apply(base.requests)
                    work.verifyScopes()
                }
            }
            if work.tracing {
                let record: InspectionRecord<Definition> = .transition(from: state, event: event, to: state)
                work.trace.append(record)
            }
            return
        }
        let domain = work.domain(source: source, target: targetNode, reenter: reenter)
        withTurn(call: call) { work, base in
            work.exit(to: domain, base: base)
            if rule.hasAction {
                Self.run(work.chart.tables.actions[ruleIndex].unsafelyUnwrapped, event, base)
                work.apply(base.requests)
            }
            work.enterPath(from: domain, to: targetNode, base: base)
            work.descend(from: targetNode, history: history, base: base)
            work.verifyScopes()
        }
        let fromState = chart.nodes[from].state!
        if work.tracing {
            let record: InspectionRecord<Definition> = .transition(from: fromState, event: event, to: state)
            work.trace.append(record)
        }
        work.releasePostponed()
    }

    /// Runs a rule's action on pointers to the event and the turn base.
    @inlinable static func run<Event: ChartEvent>(
        _ action: ActionCode, _ event: Event, _ base: TurnBase<Definition>
    ) {
        withUnsafePointer(to: base) { base in withUnsafePointer(to: event) { action.run($0, base) } }
    }

    /// Handles raised events and released postponed events until none is left.
    @inlinable mutating func drain() {
        guard !work.queue.isEmpty else { return }
        while let next = work.queue.popFirst() {
            _ = dispatch(any: next.event, call: next.call)
        }
    }

    /// Runs `body` with a turn base pointing at the context and the request buffer (both apart from
    /// `work`, which `body` mutates).
    @inlinable mutating func withTurn(
        call: CallID?, _ body: (inout Work, TurnBase<Definition>) -> Void
    ) {
        withUnsafeMutablePointer(to: &context) { context in
            withUnsafeMutablePointer(to: &requests) { requests in
                body(&work, TurnBase(context: context, requests: requests, call: call))
            }
        }
    }
}

/// An event waiting in a queue, with the call waiting on it.
@usableFromInline struct Pending: Sendable {
    @usableFromInline var event: any ChartEvent
    @usableFromInline var call: CallID?

    @inlinable init(event: any ChartEvent, call: CallID?) {
        self.event = event
        self.call = call
    }
}
