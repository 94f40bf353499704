import DequeModule

extension ChartCore {
    /// A timer's identity inside the core: the node whose region it belongs to (-1: the machine) and its name.
    @usableFromInline struct TimerKey: Hashable, Sendable {
        @usableFromInline var node: Int
        @usableFromInline var name: String

        @inlinable init(node: Int, name: String) {
            self.node = node
            self.name = name
        }
    }

    @usableFromInline struct ArmedTimer: Sendable {
        @usableFromInline var generation: UInt64
        @usableFromInline var event: any ChartEvent

        @inlinable init(generation: UInt64, event: any ChartEvent) {
            self.generation = generation
            self.event = event
        }
    }

    /// The core's bookkeeping, apart from the context and the request buffer that actions write to.
    @usableFromInline struct Work: Sendable {
        @usableFromInline let chart: Chart<Definition>
        /// The active leaf; during a transition, the innermost node entered or not yet exited.
        @usableFromInline var active: Int
        /// For each compound node, the child that was active when it was last left (-1: never).
        @usableFromInline var history: [Int]
        @usableFromInline var commands: [ChartCommand<Definition>] = []
        @usableFromInline var trace: [InspectionRecord<Definition>] = []
        @usableFromInline var tracing: Bool
        /// Raised events and released postponed events, handled before the step returns.
        @usableFromInline var queue: Deque<Pending> = []
        @usableFromInline var postponed: Deque<Pending> = []
        /// Running effects and the node whose region owns each (-1: the machine).
        @usableFromInline var liveEffects: [EffectID: Int] = [:]
        /// The running effects of each region, at index `node + 1`.
        @usableFromInline var effectsIn: [[EffectID]]
        @usableFromInline var nextEffect: UInt64 = 0
        @usableFromInline var timers: [TimerKey: ArmedTimer] = [:]
        @usableFromInline var nextGeneration: UInt64 = 0
        /// Calls promised an answer with ``Turn/replyLater()``.
        @usableFromInline var promised: Set<CallID> = []
        @usableFromInline var currentCall: CallID?
        @usableFromInline var currentSettled = false
        /// Set when an action started an effect or timer in a named region, which must still be active.
        @usableFromInline var needsScopeCheck = false

        @inlinable init(chart: Chart<Definition>, tracing: Bool) {
            self.chart = chart
            self.active = 0
            self.history = Array(repeating: -1, count: chart.nodes.count)
            self.effectsIn = Array(repeating: [], count: chart.nodes.count + 1)
            self.tracing = tracing
        }

        @usableFromInline var activeState: Definition.State { chart.nodes[active].state! }

        @inlinable mutating func beginStep() {
            // Checked first: most steps of a busy machine ask for nothing, and clearing an empty array
            // still costs a uniqueness check.
            if !commands.isEmpty { commands.removeAll(keepingCapacity: true) }
            if !trace.isEmpty { trace.removeAll(keepingCapacity: true) }
        }

        @inlinable mutating func beginTurn(call: CallID?) {
            currentCall = call
            currentSettled = false
        }

        /// After the rule for `call` ran: a call nobody answered or promised is answered with `()` when
        /// its reply is `Void`, and failed as unanswered otherwise, so a caller never waits forever. The event's
        /// name is built only for that failure: the default name is a demangled type name, five allocations.
        @inlinable mutating func settle(_ call: CallID, answersVoid: Bool, eventName: @autoclosure () -> String) {
            defer { currentCall = nil }
            guard !currentSettled else { return }
            if answersVoid {
                commands.append(.reply(call, ()))
                if tracing { trace.append(.callAnswered(call)) }
            } else {
                let failure = CallError.unanswered(event: eventName())
                commands.append(.fail(call, failure))
                if tracing { trace.append(.callFailed(call, failure)) }
            }
        }

        // MARK: Transitions

        /// The innermost node that a transition from `source` to `target` neither exits nor enters.
        @inlinable func domain(source: Int, target: Int, reenter: Bool) -> Int {
            if chart.isAncestor(source, of: target) {
                return reenter ? max(chart.nodes[source].parent, 0) : source
            }
            var a = source
            var b = target
            while chart.nodes[a].depth > chart.nodes[b].depth { a = chart.nodes[a].parent }
            while chart.nodes[b].depth > chart.nodes[a].depth { b = chart.nodes[b].parent }
            while a != b {
                a = chart.nodes[a].parent
                b = chart.nodes[b].parent
            }
            // A target above the source is left and entered again.
            return a == target ? max(chart.nodes[target].parent, 0) : a
        }

        /// Exits the active nodes below `domain`, innermost first.
        @inlinable mutating func exit(to domain: Int, base: TurnBase<Definition>) {
            while active != domain {
                let node = active
                let parent = chart.nodes[node].parent
                for exit in chart.nodes[node].exits {
                    var turn = Turn<Definition, Void>(event: (), base: base)
                    exit.action(&turn)
                    apply(base.requests)
                }
                if !timers.isEmpty {
                    for key in timers.keys.filter({ $0.node == node }) { disarm(key, cancelled: true) }
                }
                cancelEffects(in: node)
                history[parent] = node
                if tracing { trace.append(.exited(chart.nodes[node].state!)) }
                active = parent
            }
        }

        /// Enters the nodes from just below `domain` down to `target`, outermost first.
        @inlinable mutating func enterPath(from domain: Int, to target: Int, base: TurnBase<Definition>) {
            let top = chart.nodes[domain].depth + 1
            let bottom = chart.nodes[target].depth
            guard top <= bottom else { return }
            for depth in top...bottom {
                var node = target
                while chart.nodes[node].depth > depth { node = chart.nodes[node].parent }
                enter(node, base: base)
            }
        }

        /// Enters the initial (or, with `history`, the last active) child of `node`, then initial
        /// children down to a leaf.
        @inlinable mutating func descend(from node: Int, history useHistory: Bool, base: TurnBase<Definition>) {
            var current = node
            if useHistory, chart.nodes[current].initial >= 0 {
                let remembered = history[current]
                current = remembered >= 0 ? remembered : chart.nodes[current].initial
                enter(current, base: base)
            }
            while chart.nodes[current].initial >= 0 {
                current = chart.nodes[current].initial
                enter(current, base: base)
            }
        }

        @inlinable mutating func enter(_ node: Int, base: TurnBase<Definition>) {
            active = node
            if tracing { trace.append(.entered(chart.nodes[node].state!)) }
            for entry in chart.nodes[node].entries {
                var turn = Turn<Definition, Void>(event: (), base: base)
                entry.action(&turn)
                apply(base.requests)
            }
            for invoke in chart.nodes[node].invokes {
                if let effect = invoke.make(base.context.pointee) { startEffect(effect, node: node) }
            }
            for timer in chart.nodes[node].timers {
                arm(TimerKey(node: node, name: timer.name), after: timer.duration, event: timer.event)
            }
        }

        /// Released after a change of state: postponed events go first, in arrival order.
        @inlinable mutating func releasePostponed() {
            guard !postponed.isEmpty else { return }
            queue.insert(contentsOf: postponed, at: 0)
            postponed.removeAll(keepingCapacity: true)
        }

        // MARK: Requests from actions

        @inlinable mutating func apply(_ requests: UnsafeMutablePointer<[TurnRequest<Definition>]>) {
            guard !requests.pointee.isEmpty else { return }
            for request in requests.pointee {
                switch request {
                case .perform(let effect, let scope):
                    startEffect(effect, node: scope.map(node(of:)) ?? -1)
                    if scope != nil { needsScopeCheck = true }
                case .setTimer(let name, let duration, let event, let scope):
                    arm(TimerKey(node: scope.map(node(of:)) ?? -1, name: name), after: duration, event: event)
                    if scope != nil { needsScopeCheck = true }
                case .cancelTimer(let name):
                    if let key = activeTimerKey(named: name) { disarm(key, cancelled: true) }
                case .restartTimer(let name):
                    restartDeclaredTimer(named: name)
                case .raise(let event):
                    queue.append(Pending(event: event, call: nil))
                case .answer(let call, let reply):
                    answer(call, with: reply)
                case .promise(let call):
                    if call == currentCall { currentSettled = true }
                    promised.insert(call)
                }
            }
            requests.pointee.removeAll(keepingCapacity: true)
        }

        @inlinable func node(of state: Definition.State) -> Int { chart.nodeOfState[state]! }

        @inlinable mutating func answer(_ call: CallID, with reply: any Sendable) {
            if call == currentCall, !currentSettled {
                currentSettled = true
            } else if promised.remove(call) == nil {
                if tracing { trace.append(.replyDropped(call)) }
                return
            }
            promised.remove(call)
            commands.append(.reply(call, reply))
            if tracing { trace.append(.callAnswered(call)) }
        }

        /// Cancels what was started in a named region that is not active after the step.
        @inlinable mutating func verifyScopes() {
            guard needsScopeCheck else { return }
            needsScopeCheck = false
            let chart = chart
            let active = active
            let inactive = { (node: Int) in node >= 0 && !chart.isAncestor(node, of: active) }
            for (effect, node) in liveEffects.filter({ inactive($0.value) }) {
                cancel(effect, node: node)
            }
            for key in timers.keys.filter({ inactive($0.node) }) {
                disarm(key, cancelled: true)
            }
        }

        // MARK: Effects

        @inlinable mutating func startEffect(_ effect: Definition.Effect, node: Int) {
            nextEffect += 1
            let id = EffectID(nextEffect)
            liveEffects[id] = node
            effectsIn[node + 1].append(id)
            commands.append(.startEffect(id, effect, scope: node >= 0 ? chart.nodes[node].state : nil))
            if tracing { trace.append(.effectStarted(id, effect)) }
        }

        @inlinable mutating func cancelEffects(in node: Int) {
            guard !effectsIn[node + 1].isEmpty else { return }
            for effect in effectsIn[node + 1] {
                liveEffects[effect] = nil
                commands.append(.cancelEffect(effect))
                if tracing { trace.append(.effectCancelled(effect)) }
            }
            effectsIn[node + 1].removeAll(keepingCapacity: true)
        }

        @inlinable mutating func cancel(_ effect: EffectID, node: Int) {
            liveEffects[effect] = nil
            effectsIn[node + 1].removeAll { $0 == effect }
            commands.append(.cancelEffect(effect))
            if tracing { trace.append(.effectCancelled(effect)) }
        }

        // MARK: Timers

        @inlinable func timerID(_ key: TimerKey) -> TimerID<Definition.State> {
            TimerID(name: key.name, scope: key.node >= 0 ? chart.nodes[key.node].state : nil)
        }

        @inlinable func timerKey(_ id: TimerID<Definition.State>) -> TimerKey {
            TimerKey(node: id.scope.flatMap { chart.nodeOfState[$0] } ?? -1, name: id.name)
        }

        @inlinable mutating func arm(_ key: TimerKey, after duration: Duration, event: any ChartEvent) {
            if timers[key] != nil { disarm(key, cancelled: true) }
            nextGeneration += 1
            timers[key] = ArmedTimer(generation: nextGeneration, event: event)
            let id = timerID(key)
            commands.append(.setTimer(id, after: duration, event: event, generation: nextGeneration))
            if tracing { trace.append(.timerSet(id, after: duration)) }
        }

        @inlinable mutating func disarm(_ key: TimerKey, cancelled: Bool) {
            guard timers.removeValue(forKey: key) != nil else { return }
            guard cancelled else { return }
            commands.append(.cancelTimer(timerID(key)))
            if tracing { trace.append(.timerCancelled(timerID(key))) }
        }

        /// The armed timer `name` of the innermost active region that has one, or of the machine.
        @inlinable func activeTimerKey(named name: String) -> TimerKey? {
            var node = active
            while node >= 0 {
                let key = TimerKey(node: node, name: name)
                if timers[key] != nil { return key }
                node = chart.nodes[node].parent
            }
            let machine = TimerKey(node: -1, name: name)
            return timers[machine] != nil ? machine : nil
        }

        @inlinable mutating func restartDeclaredTimer(named name: String) {
            var node = active
            while node >= 0 {
                if let timer = chart.nodes[node].timers.first(where: { $0.name == name }) {
                    arm(TimerKey(node: node, name: name), after: timer.duration, event: timer.event)
                    return
                }
                node = chart.nodes[node].parent
            }
            preconditionFailure("restartTimer(\"\(name)\"): no active state declares a timer of that name")
        }
    }
}
