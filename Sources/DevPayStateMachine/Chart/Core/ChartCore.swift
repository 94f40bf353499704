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
    var requests: [TurnRequest<Definition>] = []
    var work: Work

    /// Creates a core in the chart's initial state, entering it (entry actions, invoked effects and
    /// declared timers appear in ``commands``).
    ///
    /// - Precondition: the chart has no ``Chart/issues``.
    public init(_ definition: Definition, context: Definition.Context, tracing: Bool = false) {
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
    public var chart: Chart<Definition> { work.chart }

    /// The active leaf state.
    public var state: Definition.State { work.chart.nodes[work.active].state! }

    /// The active states, outermost first, ending with ``state``.
    public var activeStates: [Definition.State] {
        var states: [Definition.State] = []
        var node = work.active
        while node > 0 {
            states.append(work.chart.nodes[node].state!)
            node = work.chart.nodes[node].parent
        }
        return states.reversed()
    }

    /// Whether `state` is active (the leaf or one of its ancestors).
    public func isActive(_ state: Definition.State) -> Bool {
        guard let node = work.chart.nodeOfState[state] else { return false }
        return work.chart.isAncestor(node, of: work.active)
    }

    /// What the last step asked for, in order.
    public var commands: [ChartCommand<Definition>] { work.commands }

    /// What happened in the last step, in order (empty unless ``isTracing``).
    public var trace: [InspectionRecord<Definition>] { work.trace }

    /// Whether steps record ``trace``; off by default so that a step allocates nothing.
    public var isTracing: Bool {
        get { work.tracing }
        set { work.tracing = newValue }
    }

    /// The events waiting for a change of state, oldest first.
    public var postponedEvents: [any ChartEvent] { work.postponed.map(\.event) }

    /// The effects still running, by identifier.
    public var runningEffects: Set<EffectID> { Set(work.liveEffects.keys) }

    /// The armed timers.
    public var armedTimers: Set<TimerID<Definition.State>> {
        Set(work.timers.keys.map { work.timerID($0) })
    }

    // MARK: Stepping

    /// Offers `event` (as the call `call`, if given) and runs to completion: the event, the events its
    /// rules raised and the postponed events a change of state released.
    @discardableResult
    public mutating func send<Event: ChartEvent>(_ event: Event, call: CallID? = nil) -> Disposition {
        work.beginStep()
        let disposition = dispatch(event, call: call)
        drain()
        return disposition
    }

    /// Offers `event`, whose type is known only at run time (a timer's or postponed event).
    @discardableResult
    public mutating func send(any event: any ChartEvent, call: CallID? = nil) -> Disposition {
        send(event, call: call)
    }

    /// Delivers the event an effect sent: handled as any event while the effect runs, dropped (and traced
    /// as ``InspectionRecord/effectResultDropped(_:event:in:)``) once it was cancelled or finished.
    @discardableResult
    public mutating func deliver<Event: ChartEvent>(_ event: Event, from effect: EffectID) -> Disposition? {
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
    public mutating func effectFinished(_ effect: EffectID) {
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
    public mutating func fire(_ timer: TimerID<Definition.State>, generation: UInt64) -> Disposition? {
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
    public mutating func cancelCall(_ call: CallID, eventName: String) {
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
    public mutating func stop() {
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
        for key in work.timers.keys { work.commands.append(.cancelTimer(work.timerID(key))) }
        work.timers.removeAll()
    }

    // MARK: Dispatch

    private mutating func dispatch(any event: any ChartEvent, call: CallID?) -> Disposition {
        dispatch(event, call: call)
    }

    /// Finds the first rule of the active leaf or its ancestors for `Event` whose guard holds, and takes it.
    private mutating func dispatch<Event: ChartEvent>(
        _ event: Event, call: CallID?, quietWhenRejected: Bool = false
    ) -> Disposition {
        let id = ObjectIdentifier(Event.self)
        let range = work.chart.candidateRange[work.active]
        var index = range.lowerBound
        while index < range.upperBound {
            let candidate = work.chart.candidates[index]
            index += 1
            guard candidate.event == id else { continue }
            let rule = work.chart.rules[candidate.rule]
            if let check = rule.guardCheck {
                let holds = withUnsafePointer(to: event) { check($0, context) }
                guard holds else { continue }
            }
            switch rule.kind {
            case .postpone:
                work.postponed.append(Pending(event: event, call: call))
                if work.tracing {
                    let record: InspectionRecord<Definition> = .postponed(event: event, in: state)
                    work.trace.append(record)
                }
                return .postponed
            case .transition(let target, let reenter):
                take(candidate.rule, target: target, reenter: reenter, event: event, call: call)
                if let call { work.settle(call, answersVoid: rule.answersVoid, eventName: Event.eventName) }
                return .handled
            }
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

    private mutating func take<Event: ChartEvent>(
        _ ruleIndex: Int, target: RuleTarget<Definition.State>, reenter: Bool, event: Event, call: CallID?
    ) {
        let chart = work.chart
        let source = chart.ruleNode[ruleIndex]
        let action = chart.rules[ruleIndex].action
        let from = work.active
        work.beginTurn(call: call)
        let targetNode: Int
        let history: Bool
        switch target {
        case .none:
            if let action {
                withTurn(call: call) { work, base in
                    withUnsafePointer(to: event) { action($0, base) }
                    work.apply(base.requests)
                    work.verifyScopes()
                }
            }
            if work.tracing {
                let record: InspectionRecord<Definition> = .transition(from: state, event: event, to: state)
                work.trace.append(record)
            }
            return
        case .state(let state):
            targetNode = chart.nodeOfState[state]!
            history = false
        case .history(let state):
            targetNode = chart.nodeOfState[state]!
            history = true
        }
        let domain = work.domain(source: source, target: targetNode, reenter: reenter)
        withTurn(call: call) { work, base in
            work.exit(to: domain, base: base)
            if let action {
                withUnsafePointer(to: event) { action($0, base) }
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

    /// Handles raised events and released postponed events until none is left.
    private mutating func drain() {
        while let next = work.queue.popFirst() {
            _ = dispatch(any: next.event, call: next.call)
        }
    }

    /// Runs `body` with a turn base pointing at the context and the request buffer (both apart from
    /// `work`, which `body` mutates).
    private mutating func withTurn(
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
struct Pending: Sendable {
    var event: any ChartEvent
    var call: CallID?
}
