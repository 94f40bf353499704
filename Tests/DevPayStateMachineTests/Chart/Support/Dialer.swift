import DevPayStateMachine

/// A connection that answers `Connect` calls only once the dial effect reports back, postpones queries
/// until connected, and hangs up when the caller who asked to connect gives up.
struct Dialer: Statechart {
    enum State: ChartState { case disconnected, connecting, connected }
    struct Context: Sendable {
        var waiting: ReplyToken<Bool>?
        var queries = 0
        var cancelledCalls: [CallID] = []
    }
    enum Effect: Sendable, Equatable { case dial }

    struct Connect: ChartEvent { typealias Reply = Bool }
    struct Established: ChartEvent {}
    struct Refused: ChartEvent {}
    struct Query: ChartEvent { typealias Reply = Int }
    struct Forget: ChartEvent { typealias Reply = Int }
    struct Hangup: ChartEvent {}

    var chart: Chart<Dialer> {
        Chart(initial: .disconnected) {
            Node(.disconnected) {
                On(Connect.self, to: .connecting) { $0.context.waiting = $0.replyLater() }
            }
            Node(.connecting) {
                Invoke("dial") { _ in .dial }
                Postpone(Query.self)
                On(Established.self, to: .connected) { Self.answer(&$0, true) }
                On(Refused.self, to: .disconnected) { Self.answer(&$0, false) }
                On(CallCancelled.self, to: .disconnected) {
                    $0.context.cancelledCalls.append($0.event.call)
                    $0.context.waiting = nil
                }
            }
            Node(.connected) {
                On(Query.self) {
                    $0.context.queries += 1
                    $0.reply($0.context.queries)
                }
                // A mistake on purpose: takes a call whose reply is an Int without answering it.
                On(Forget.self)
                On(Hangup.self, to: .disconnected)
            }
        }
    }

    static func answer<Event>(_ turn: inout Turn<Dialer, Event>, _ connected: Bool) {
        if let waiting = turn.context.waiting { turn.answer(waiting, with: connected) }
        turn.context.waiting = nil
    }
}
