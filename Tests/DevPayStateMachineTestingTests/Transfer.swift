import DevPayStateMachine

/// The sample chart of the testing kit's own tests: a transfer three levels deep (active > running >
/// connecting | receiving), with invoked effects, a region timer, a call, a parent rule, history and a
/// guard.
struct Transfer: Statechart {
    enum State: ChartState { case idle, active, running, connecting, receiving, paused, done, failed }
    struct Context: Sendable, Equatable {
        var url = ""
        var received = 0
    }
    enum Effect: Sendable, Equatable {
        case connect(url: String)
        case receive(url: String, from: Int)
    }

    struct Start: ChartEvent {
        var url: String
        typealias Reply = Bool
    }
    struct Connected: ChartEvent {}
    struct Chunk: ChartEvent { var bytes: Int }
    struct Finished: ChartEvent {}
    struct Pause: ChartEvent {}
    struct Resume: ChartEvent {}
    struct Cancel: ChartEvent {}
    struct Stalled: ChartEvent {}

    static let stallTimeout = Duration.seconds(30)

    var chart: Chart<Transfer> {
        let validURL = Condition<Transfer, Start>("url is not empty") { _, start in !start.url.isEmpty }
        return Chart(initial: .idle) {
            Node(.idle) {
                On(Start.self, to: .active, when: validURL) { turn in
                    turn.context = Context(url: turn.event.url)
                    turn.reply(true)
                }
                On(Start.self) { $0.reply(false) }
            }
            Node(.active, initial: .running) {
                On(Cancel.self, to: .idle)
                Node(.running, initial: .connecting) {
                    After(Self.stallTimeout, "stall", send: Stalled())
                    On(Pause.self, to: .paused)
                    On(Stalled.self, to: .failed)
                    Node(.connecting) {
                        Invoke("connect") { .connect(url: $0.url) }
                        On(Connected.self, to: .receiving)
                    }
                    Node(.receiving) {
                        Invoke("receive") { .receive(url: $0.url, from: $0.received) }
                        On(Chunk.self) { turn in
                            turn.context.received += turn.event.bytes
                            turn.restartTimer("stall")
                        }
                        On(Finished.self, to: .done)
                    }
                }
                Node(.paused) { On(Resume.self, toHistoryOf: .running) }
            }
            Node(.done)
            Node(.failed) { On(Start.self, to: .active, when: validURL) { turn in
                turn.context = Context(url: turn.event.url)
                turn.reply(true)
            } }
        }
    }

    /// Samples of each event a test sends (timers send `Stalled`); two starts, for both of idle's rules.
    static let samples: [any ChartEvent] = [
        Start(url: "https://example.com/f"), Start(url: ""), Connected(), Chunk(bytes: 10), Finished(), Pause(), Resume(), Cancel(),
    ]
}
