import DevPayStateMachine

/// The download manager of docs/state-machines.md: pause and resume, progress streamed by an invoked
/// effect, and a stall timeout. Kept identical to the guide's listing by `GuideListingTests`.
// guide-listing-begin
struct Downloader: Statechart {
    enum State: ChartState { case idle, active, downloading, paused, done, failed }
    struct Context: Sendable, Equatable { var url = ""; var received = 0 }
    enum Effect: Sendable, Equatable { case fetch(url: String, from: Int) }

    struct Start: ChartEvent { var url: String; typealias Reply = Bool }
    struct Progress: ChartEvent { var bytes: Int }
    struct Finished: ChartEvent {}
    struct Pause: ChartEvent {}
    struct Resume: ChartEvent {}
    struct Cancel: ChartEvent {}
    struct Stalled: ChartEvent {}

    var stallTimeout: Duration = .seconds(30)

    var chart: Chart<Downloader> {
        Chart(initial: .idle) {
            Node(.idle) { On(Start.self, to: .active, Self.begin) }
            Node(.active, initial: .downloading) {
                On(Cancel.self, to: .idle)
                Node(.downloading) {
                    Invoke("fetch") { .fetch(url: $0.url, from: $0.received) }
                    After(stallTimeout, "stall", send: Stalled())
                    On(Progress.self) {
                        $0.context.received += $0.event.bytes
                        $0.restartTimer("stall")
                    }
                    On(Finished.self, to: .done)
                    On(Pause.self, to: .paused)
                    On(Stalled.self, to: .failed)
                }
                Node(.paused) { On(Resume.self, to: .downloading) }
            }
            Node(.done)
            Node(.failed) { On(Start.self, to: .active, Self.begin) }
        }
    }

    /// A new download: remember the address, start from zero, and tell the caller it started.
    @Sendable static func begin(_ turn: inout Turn<Downloader, Start>) {
        turn.context = Context(url: turn.event.url)
        turn.reply(true)
    }
}
// guide-listing-end
