import DevPayStateMachine

/// A machine whose outcome depends on event order: a level from 0 to `top`, moved by guarded steps and reset.
struct Ladder: StateMachineDefinition {
    enum State: MachineState, Codable {
        case level(Int)
        enum Name: CaseIterable { case level }
        var name: Name { .level }
    }

    enum Event: MachineEvent, CaseIterable, Hashable, Codable { case up, down, reset }

    enum Effect: Sendable, Hashable { case reachedTop }

    var top = 5

    var table: TransitionTable<Ladder> {
        let top = top
        return TransitionTable {
            Rule(from: .level, on: .up, to: [.level], when: Guard("below top") { state, _ in state.value < top }) {
                state, _ in
                state.value + 1 == top ? .to(.level(top), effects: [.reachedTop]) : .to(.level(state.value + 1))
            }
            Rule(from: .level, on: .down, to: [.level], when: Guard("above bottom") { state, _ in state.value > 0 }) {
                state, _ in .to(.level(state.value - 1))
            }
            Rule(from: .level, on: .reset, to: State.level(0))
        }
    }
}

extension Ladder.State {
    var value: Int {
        switch self { case .level(let value): value }
    }
}
