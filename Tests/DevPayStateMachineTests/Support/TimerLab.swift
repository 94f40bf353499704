import DevPayStateMachine

/// A machine whose events set, cancel and trigger each timer kind on demand, to pin the timer rules.
struct TimerLab: StateMachineDefinition {
    enum State: MachineState, CaseIterable, Codable { case a, b }

    enum Event: MachineEvent, CaseIterable, Codable, Hashable {
        case armStateTimeout, armImmediateStateTimeout, cancelStateTimeout, armEventTimeout, startNamed, cancelNamed
        case move, stay, reenterReset, reenterKeep, poke
        case stateTimedOut, eventTimedOut, namedFired
    }

    typealias Effect = Never

    static let delay = Duration.seconds(5)

    var table: TransitionTable<TimerLab> {
        let both = State.Name.allCases
        return TransitionTable {
            Rule(from: both, on: .armStateTimeout, to: both) { _, _ in
                .stay(timers: [.stateTimeout(after: Self.delay, sending: .stateTimedOut)])
            }
            Rule(from: both, on: .armImmediateStateTimeout, to: both) { _, _ in
                .stay(timers: [.stateTimeout(after: .zero, sending: .stateTimedOut)])
            }
            Rule(from: both, on: .cancelStateTimeout, to: both) { _, _ in .stay(timers: [.cancelStateTimeout]) }
            Rule(from: both, on: .armEventTimeout, to: both) { _, _ in
                .stay(timers: [.eventTimeout(after: Self.delay, sending: .eventTimedOut)])
            }
            Rule(from: both, on: .startNamed, to: both) { _, _ in
                .stay(timers: [.start("lab", after: Self.delay, sending: .namedFired)])
            }
            Rule(from: both, on: .cancelNamed, to: both) { _, _ in .stay(timers: [.cancel("lab")]) }
            Rule(from: .a, on: .move, to: State.b)
            Rule(from: .b, on: .move, to: State.a)
            Rule(from: both, on: .stay, to: both) { _, _ in .stay() }
            Rule(from: both, on: .reenterReset, to: both) { _, _ in .reenter() }
            Rule(from: both, on: .reenterKeep, to: both) { state, _ in .to(state) }
            for fired in [Event.stateTimedOut, .eventTimedOut, .namedFired] {
                Rule(from: both, on: fired, to: both) { _, _ in .stay() }
            }
            // `.poke` has no rule: it is always rejected.
        }
    }
}
