import DevPayStateMachine

/// The classic two-state example, plus a broken state nothing reaches and a jammed dead end.
struct Turnstile: StateMachineDefinition {
    enum State: MachineState, CaseIterable { case locked, unlocked, jammed, retired }
    enum Event: MachineEvent, CaseIterable { case coin, push, kick }
    enum Effect: Sendable, Hashable { case unlatch, latch }

    var table: TransitionTable<Turnstile> {
        TransitionTable {
            Rule(from: .locked, on: .coin, to: State.unlocked, effects: [.unlatch])
            Rule(from: .unlocked, on: .push, to: State.locked, effects: [.latch])
            Rule(from: .unlocked, on: .coin, to: State.unlocked)
            Rule(from: .locked, on: .kick, to: State.jammed, when: Guard("hard") { _, _ in true })
            Rule(from: .jammed, on: .kick, to: State.jammed)
        }
    }
}
