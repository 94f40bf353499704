/// What a rule's action (or an entry or exit action) can read and do during one step: the typed event,
/// the context, effects to start, timers to set and calls to answer.
///
/// A turn is only valid while its action runs (the compiler keeps an `inout` turn from escaping).
public struct Turn<Definition: Statechart, Event> {
    /// The event being handled (`()` in entry and exit actions).
    public let event: Event
    @usableFromInline let base: TurnBase<Definition>

    @inlinable init(event: Event, base: TurnBase<Definition>) {
        self.event = event
        self.base = base
    }

    /// The chart's data; changes are kept.
    @inlinable public var context: Definition.Context {
        get { base.context.pointee }
        nonmutating _modify { yield &base.context.pointee }
    }

    /// Starts `effect`; it runs until it finishes or the machine stops, and the events it sends back are
    /// always delivered. To tie an effect to a state, declare it with ``Invoke`` or pass `in:`.
    @inlinable public func perform(_ effect: Definition.Effect) {
        base.requests.pointee.append(.perform(effect, scope: nil))
    }

    /// Starts `effect` in the region of `state` (which must be active once this step completes): it is
    /// cancelled when `state` is left, and events it sends afterwards are dropped visibly.
    @inlinable public func perform(_ effect: Definition.Effect, in state: Definition.State) {
        base.requests.pointee.append(.perform(effect, scope: state))
    }

    /// Sets the timer `name` to send `event` after `duration`; without `in:` it survives state changes
    /// (`gen_statem`'s generic timeout), with `in:` it is cancelled when `state` is left. Setting a pending
    /// timer again replaces it.
    @inlinable public func setTimer(
        _ name: String, after duration: Duration, sending event: some ChartEvent, in state: Definition.State? = nil
    ) {
        base.requests.pointee.append(.setTimer(name, after: duration, event: event, scope: state))
    }

    /// Cancels the timer `name` (set with ``setTimer(_:after:sending:in:)`` or declared with ``After`` in an
    /// active state), if pending.
    @inlinable public func cancelTimer(_ name: String) {
        base.requests.pointee.append(.cancelTimer(name))
    }

    /// Arms again, from now, the timer `name` declared with ``After`` in an active state.
    @inlinable public func restartTimer(_ name: String) {
        base.requests.pointee.append(.restartTimer(name))
    }

    /// Queues `event` to be handled right after this step, before any event from outside.
    @inlinable public func raise(_ event: some ChartEvent) {
        base.requests.pointee.append(.raise(event))
    }

    /// The call waiting on this event, if it came through ``ChartMachine/call(_:)``.
    public var call: CallID? { base.call }

    /// Answers `token`'s call now (with a reply typed by the call's event). A token whose caller has gone
    /// (cancelled, or already answered) is dropped visibly.
    @inlinable public func answer<Reply: Sendable>(_ token: ReplyToken<Reply>, with reply: Reply) {
        base.requests.pointee.append(.answer(token.call, reply))
    }
}

extension Turn where Event: ChartEvent {
    /// Answers the call waiting on this event with `reply`; does nothing when the event was sent, not
    /// called.
    @inlinable public func reply(_ reply: Event.Reply) {
        guard let call = base.call else { return }
        base.requests.pointee.append(.answer(call, reply))
    }

    /// Promises to answer the call waiting on this event later, with ``answer(_:with:)``; `nil` when the
    /// event was sent, not called. Keep the token in the context.
    @inlinable public func replyLater() -> ReplyToken<Event.Reply>? {
        guard let call = base.call else { return nil }
        base.requests.pointee.append(.promise(call))
        return ReplyToken(call: call)
    }
}

/// The untyped part of a turn: pointers to the context and to the request buffer, valid for one action.
///
/// Actions never touch the core's bookkeeping directly: they append requests, which the core applies
/// after the action returns, so no action can observe or corrupt a half-done exit or entry.
@usableFromInline struct TurnBase<Definition: Statechart> {
    @usableFromInline let context: UnsafeMutablePointer<Definition.Context>
    @usableFromInline let requests: UnsafeMutablePointer<[TurnRequest<Definition>]>
    @usableFromInline let call: CallID?

    @inlinable init(
        context: UnsafeMutablePointer<Definition.Context>, requests: UnsafeMutablePointer<[TurnRequest<Definition>]>,
        call: CallID?
    ) {
        self.context = context
        self.requests = requests
        self.call = call
    }
}

/// What an action asked for, applied by the core after the action returns.
@usableFromInline enum TurnRequest<Definition: Statechart>: Sendable {
    case perform(Definition.Effect, scope: Definition.State?)
    case setTimer(String, after: Duration, event: any ChartEvent, scope: Definition.State?)
    case cancelTimer(String)
    case restartTimer(String)
    case raise(any ChartEvent)
    case answer(CallID, any Sendable)
    case promise(CallID)
}
