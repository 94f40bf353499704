/// What an effect handler knows about the transition that asked for the effect.
public struct EffectContext<Machine: StateMachineDefinition>: Sendable {
    /// The state the machine entered with this transition.
    public var state: Machine.State
    /// The state visit that started the effect; its result is stale once the visit has ended.
    public var generation: UInt64
    /// Whether the effect's work is cancelled when the state is left.
    public var scope: EffectScope
}

extension StateMachine {
    /// Performs one effect and returns the event to feed back to the machine, if any.
    ///
    /// The handler runs outside the actor, in a task owned by the machine; effects of one transition are
    /// performed in order. A state-scoped effect's task is cancelled when its state visit ends (check
    /// `Task.isCancelled` or use cancellable calls); if it still returns an event, that event is dropped and
    /// published as a ``RejectionReason/staleResult(startedIn:current:)`` rejection.
    public typealias EffectHandler = @Sendable (Machine.Effect, EffectContext<Machine>) async -> Machine.Event?
}
