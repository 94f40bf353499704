extension ObservableMachineState {
    /// Starts showing `machine`'s active leaf state; until the first update arrives, ``state`` is `state`.
    /// A gap in the machine's stream of states (``Observed/missed(_:)``) is skipped: the next state shown
    /// is the newest.
    public convenience init<Definition, C>(_ machine: ChartMachine<Definition, C>, state: State)
    where Definition.State == State {
        self.init(state: state, subscribe: { await machine.states(bufferLimit: 1) }, value: { $0.value })
    }

    /// Starts showing `machine`'s active leaf state, beginning with its current one.
    public convenience init<Definition, C>(_ machine: ChartMachine<Definition, C>) async where Definition.State == State {
        self.init(machine, state: await machine.state)
    }
}
