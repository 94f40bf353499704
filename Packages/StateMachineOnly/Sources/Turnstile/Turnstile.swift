public import DevPayStateMachine

/// The classic coin-operated turnstile: a coin unlocks it, a push locks it again.
public struct Turnstile: StateMachineDefinition {
    public enum State: MachineState, CaseIterable { case locked, unlocked }
    public enum Event: MachineEvent, CaseIterable { case coin, push }
    public enum Effect: Sendable, Hashable { case unlatch, latch }

    public init() {}

    public var table: TransitionTable<Turnstile> {
        TransitionTable {
            Rule(from: .locked, on: .coin, to: State.unlocked, effects: [.unlatch])
            Rule(from: .unlocked, on: .push, to: State.locked, effects: [.latch])
            Rule(from: .unlocked, on: .coin, to: State.unlocked)
        }
    }
}
