/// What a machine does with one event in one state.
///
/// The framework's pure core: a definition maps `(state, event)` to a transition, and the runtime actor
/// applies it. Effects are data that the machine's owner interprets.
public enum Transition<State, Effect> {
    /// Move to `state` (possibly the same one) and perform `effects` in order.
    case move(to: State, effects: [Effect])
    /// The state does not accept the event; `reason` says why, for observers and logs.
    case reject(reason: String)
}

extension Transition: Sendable where State: Sendable, Effect: Sendable {}
extension Transition: Equatable where State: Equatable, Effect: Equatable {}
