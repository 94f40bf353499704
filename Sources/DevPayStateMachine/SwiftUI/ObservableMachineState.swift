public import Observation

/// A machine's current state as an `@Observable` object on the main actor, for SwiftUI (or any code that
/// uses Observation) to read directly.
///
/// The object subscribes to the machine's stream of states and copies each state entered into ``state`` on
/// the main actor, so a view that reads `state` redraws when it changes. Only the newest state matters to a
/// view, so if the main actor falls behind, intermediate states are skipped and the latest one is shown
/// (inspection and transition streams give the lossless history). When the machine stops, ``isStopped``
/// becomes true. Releasing the object ends its subscription.
///
/// ```swift
/// struct DoorView: View {
///     let machine: StateMachine<Door, ContinuousClock>
///     @State var door: ObservableMachineState<Door.State>
///
///     var body: some View {
///         Text(String(describing: door.state))
///         Button("Push") { Task { await machine.send(.push) } }
///     }
/// }
/// ```
@MainActor
@Observable
public final class ObservableMachineState<State: Sendable> {
    /// The machine's state as last delivered to the main actor.
    public private(set) var state: State
    /// Whether the machine has stopped (its state will not change any more).
    public private(set) var isStopped = false

    @ObservationIgnored private var updates: Task<Void, Never>?

    /// Starts showing the states that `subscribe` streams; until the first arrives, ``state`` is `state`.
    /// `value` picks the state out of a stream element (`nil`: the element carries none).
    init<States: AsyncSequence & Sendable>(
        state: State,
        subscribe: @escaping @Sendable () async -> States,
        value: @escaping @Sendable (States.Element) -> State?
    ) {
        self.state = state
        // The task inherits the main actor from this initialiser, so every assignment below runs there.
        updates = Task { [weak self] in
            var states = await subscribe().makeAsyncIterator()
            while let element = try? await states.next(isolation: MainActor.shared) {
                guard let self else { return }
                if let state = value(element) { self.state = state }
            }
            self?.isStopped = true
        }
    }

    isolated deinit {
        updates?.cancel()
    }
}

extension ObservableMachineState {
    /// Starts showing `machine`'s state; until the first update arrives, ``state`` is `state` (pass the
    /// state the machine was created in, or use the `async` initializer taking only the machine, which reads it).
    public convenience init<Machine, C>(_ machine: StateMachine<Machine, C>, state: State)
    where Machine.State == State {
        self.init(state: state, subscribe: { await machine.states(bufferLimit: 1) }, value: { $0 })
    }

    /// Starts showing `machine`'s state, beginning with its current one.
    public convenience init<Machine, C>(_ machine: StateMachine<Machine, C>) async where Machine.State == State {
        self.init(machine, state: await machine.state)
    }
}
