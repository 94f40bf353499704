import DevPayStateMachine
import DevPayStateMachineTesting

/// What the transfer's effects ask the network, and what it answers.
enum NetworkRequest: Sendable, Equatable {
    case connect(String)
    case read(String)
}

enum NetworkResponse: Sendable, Equatable {
    case ok, failed, chunk(Int), end
}

extension Transfer {
    /// The transfer's real effect handler, on a network that a script answers.
    static func effects(
        network: EffectScript<NetworkRequest, NetworkResponse>
    ) -> ChartMachine<Transfer, ManualClock>.EffectHandler {
        { effect, io in
            switch effect {
            case .connect(let url):
                if await network.respond(to: .connect(url)) == .ok { await io.send(Connected()) }
            case .receive(let url, _):
                while let response = await network.respond(to: .read(url)) {
                    switch response {
                    case .chunk(let bytes):
                        guard await io.send(Chunk(bytes: bytes)) else { return }
                    case .end:
                        await io.send(Finished())
                        return
                    case .ok, .failed:
                        return
                    }
                }
            }
        }
    }
}

/// The transfer chart modelled by hand, from its specification, without the framework: the oracle of the
/// stateful property test.
struct TransferModel: ChartModel {
    typealias Definition = Transfer

    private(set) var state: Transfer.State = .idle
    private(set) var context = Transfer.Context()
    private(set) var effectsStarted = 0
    private var requests: [(request: NetworkRequest, effect: Int)] = []
    /// The effect of the current leaf (connecting or receiving), while it runs.
    private var liveEffect: Int?
    /// The child of `running` to resume in (shallow history).
    private var history: Transfer.State = .connecting
    private var now: Duration = .zero
    private var stallDeadline: Duration?

    var pendingRequests: [NetworkRequest] { requests.map(\.request) }

    var isRunning: Bool { state == .connecting || state == .receiving }

    mutating func send(_ event: any ChartEvent) {
        switch (state, event) {
        case (.idle, let start as Transfer.Start), (.failed, let start as Transfer.Start):
            guard !start.url.isEmpty else { return }
            context = Transfer.Context(url: start.url)
            enterRunning(at: .connecting)
        case (.connecting, is Transfer.Pause), (.receiving, is Transfer.Pause):
            leaveRunning()
            state = .paused
        case (.paused, is Transfer.Resume):
            enterRunning(at: history)
        case (.connecting, is Transfer.Cancel), (.receiving, is Transfer.Cancel):
            leaveRunning()
            state = .idle
        case (.paused, is Transfer.Cancel):
            state = .idle
        default:
            break  // rejected
        }
    }

    mutating func advance(by duration: Duration) {
        let target = now + duration
        if let deadline = stallDeadline, deadline <= target {
            now = deadline
            leaveRunning()
            state = .failed
        }
        now = target
    }

    mutating func answer(_ index: Int, with response: NetworkResponse) {
        let (request, effect) = requests.remove(at: index)
        let live = effect == liveEffect
        switch (request, response) {
        case (.connect, .ok) where live:
            leaveLeaf()
            enterLeaf(.receiving)
        case (.read, .chunk(let bytes)) where live:
            context.received += bytes
            stallDeadline = now + Transfer.stallTimeout
            requests.append((request, effect))  // the handler reads on
        case (.read, .end) where live:
            leaveRunning()
            state = .done
        default:
            break  // no event sent, or a stale one the chart drops
        }
    }

    private mutating func enterRunning(at leaf: Transfer.State) {
        stallDeadline = now + Transfer.stallTimeout
        enterLeaf(leaf)
    }

    private mutating func enterLeaf(_ leaf: Transfer.State) {
        state = leaf
        history = leaf
        effectsStarted += 1
        liveEffect = effectsStarted
        requests.append((leaf == .connecting ? .connect(context.url) : .read(context.url), effectsStarted))
    }

    private mutating func leaveLeaf() {
        liveEffect = nil
    }

    private mutating func leaveRunning() {
        leaveLeaf()
        stallDeadline = nil
    }
}
