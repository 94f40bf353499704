/// A machine's declared transitions, indexed for stepping and enumerable for diagrams and coverage.
///
/// The table is the pure core of a machine: ``next(_:_:)`` computes a ``Transition`` without an actor,
/// a clock or any I/O, so the same table runs in production and serves as the model in tests.
public struct TransitionTable<Machine: StateMachineDefinition>: Sendable {
    /// The machine's state type.
    public typealias State = Machine.State
    /// The machine's event type.
    public typealias Event = Machine.Event

    private struct Key: Hashable, Sendable {
        var state: State.Name
        var event: Event.Name
    }

    /// The rules, in declaration order. When several match, the first whose guard holds decides.
    public let rules: [Rule<Machine>]
    private let index: [Key: [Int]]

    /// Creates a table from rules written one per line.
    public init(@RuleBuilder<Machine> _ rules: () -> [Rule<Machine>]) {
        self.init(rules: rules())
    }

    /// Creates a table from a list of rules.
    public init(rules: [Rule<Machine>]) {
        self.rules = rules
        var index: [Key: [Int]] = [:]
        for (position, rule) in rules.enumerated() {
            for source in rule.sources {
                index[Key(state: source, event: rule.event), default: []].append(position)
            }
        }
        self.index = index
    }

    /// Offers `event` to `state`: the pure transition function.
    public func next(_ state: State, _ event: Event) -> Transition<Machine> {
        guard let candidates = index[Key(state: state.name, event: event.name)] else {
            return .rejected(Rejection(state: state, event: event, reason: .notAccepted))
        }
        var failedGuards: [String] = []
        for position in candidates {
            let rule = rules[position]
            if let condition = rule.guard, !condition.predicate(state, event) {
                failedGuards.append(condition.name)
                continue
            }
            let outcome = rule.decide(state, event)
            let target = outcome.target ?? state
            guard rule.targets.contains(target.name) else {
                let reason = RejectionReason.undeclaredTarget(String(describing: target.name))
                return .rejected(Rejection(state: state, event: event, reason: reason))
            }
            let leaves = target != state || outcome.reentry == .reset
            return .accepted(
                Step(
                    from: state, event: event, to: target, effects: outcome.effects, timers: outcome.timers,
                    leavesState: leaves, ruleIndex: position
                )
            )
        }
        return .rejected(Rejection(state: state, event: event, reason: .guardFailed(failedGuards)))
    }

    /// Whether some rule reacts to `event` in `state` (ignoring guards).
    public func reacts(to event: Event.Name, in state: State.Name) -> Bool {
        index[Key(state: state, event: event)] != nil
    }
}
