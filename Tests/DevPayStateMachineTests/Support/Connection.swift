import DevPayStateMachine

/// A small machine with payloads, guards, effects and every timer kind: the subject of most tests.
///
/// idle --connect--> connecting(attempt 1) --connected(id)--> online(id)
/// connecting --failed--> connecting(attempt+1) while attempts are left, else offline
/// connecting: state timeout 5 s sends `.timeout`, which counts as a failure
/// online: event timeout 30 s sends `.idleTimeout` (back to idle); named "heartbeat" every 10 s
struct Connection: StateMachineDefinition {
    enum State: MachineState, Codable {
        case idle
        case connecting(attempt: Int)
        case online(id: String)
        case offline

        enum Name: CaseIterable { case idle, connecting, online, offline }

        var name: Name {
            switch self {
            case .idle: .idle
            case .connecting: .connecting
            case .online: .online
            case .offline: .offline
            }
        }
    }

    enum Event: MachineEvent, Codable, Hashable {
        case connect
        case connected(id: String)
        case failed
        case timeout
        case heartbeat
        case idleTimeout
        case disconnect

        enum Name: CaseIterable { case connect, connected, failed, timeout, heartbeat, idleTimeout, disconnect }

        var name: Name {
            switch self {
            case .connect: .connect
            case .connected: .connected
            case .failed: .failed
            case .timeout: .timeout
            case .heartbeat: .heartbeat
            case .idleTimeout: .idleTimeout
            case .disconnect: .disconnect
            }
        }
    }

    enum Effect: Sendable, Hashable {
        case dial(attempt: Int)
        case ping
        case hangUp
        case log(String)
    }

    var maximumAttempts = 3

    /// Logging outlives state changes; everything else belongs to the state that asked for it.
    func scope(of effect: Effect) -> EffectScope {
        if case .log = effect { .machine } else { .state }
    }

    var table: TransitionTable<Connection> {
        let maximumAttempts = maximumAttempts
        let attemptsLeft = Guard<Connection>("attempts left") { state, _ in
            if case .connecting(let attempt) = state { attempt < maximumAttempts } else { false }
        }
        let noAttemptsLeft = Guard<Connection>("no attempts left") { state, _ in
            if case .connecting(let attempt) = state { attempt >= maximumAttempts } else { false }
        }
        return TransitionTable {
            Rule(
                from: .idle, on: .connect, to: State.connecting(attempt: 1), effects: [.dial(attempt: 1)],
                timers: [.stateTimeout(after: .seconds(5), sending: .timeout)]
            )
            Rule(from: .connecting, on: .connected, to: [.online]) { _, event in
                guard case .connected(let id) = event else { return .stay() }
                return .to(
                    .online(id: id),
                    effects: [.log("online \(id)")],
                    timers: [
                        .eventTimeout(after: .seconds(30), sending: .idleTimeout),
                        .start("heartbeat", after: .seconds(10), sending: .heartbeat),
                    ]
                )
            }
            for failure in [Event.Name.failed, .timeout] {
                Rule(from: .connecting, on: failure, to: [.connecting], when: attemptsLeft) { state, _ in
                    guard case .connecting(let attempt) = state else { return .stay() }
                    return .to(
                        .connecting(attempt: attempt + 1), effects: [.dial(attempt: attempt + 1)],
                        timers: [.stateTimeout(after: .seconds(5), sending: .timeout)]
                    )
                }
                Rule(from: .connecting, on: failure, to: State.offline, when: noAttemptsLeft)
            }
            Rule(from: .online, on: .heartbeat, to: [.online]) { _, _ in
                .stay(
                    effects: [.ping],
                    timers: [
                        .eventTimeout(after: .seconds(30), sending: .idleTimeout),
                        .start("heartbeat", after: .seconds(10), sending: .heartbeat),
                    ]
                )
            }
            Rule(from: .online, on: .idleTimeout, to: State.idle, effects: [.hangUp], timers: [.cancel("heartbeat")])
            Rule(from: [.online, .connecting], on: .disconnect, to: State.idle, effects: [.hangUp], timers: [.cancel("heartbeat")])
            Rule(from: .offline, on: .connect, to: State.connecting(attempt: 1), effects: [.dial(attempt: 1)],
                 timers: [.stateTimeout(after: .seconds(5), sending: .timeout)])
        }
    }
}
