/// One step of a product's lifecycle as apps observe it: states and the event's name, never its payload
/// (an activation key or a credential set stays inside the lifecycle).
public struct LifecycleTransition<Instant: InstantProtocol>: Sendable, Hashable {
    /// The state before.
    public var from: ActivationState
    /// What happened.
    public var event: ActivationEvent.Name
    /// The state after (equal to `from` for an internal step).
    public var to: ActivationState
    /// The error the event reports, if it is a failure (for example an expired activation key).
    public var failure: DevPayLifecycleError?
    /// When it happened, on the lifecycle's clock.
    public var time: Instant
    /// How many transitions this subscriber missed just before this one because it read too slowly.
    public var missedBefore: Int
}
