import DevPayRetry
import HeapModule

/// A discrete-event simulation of a retry storm on a virtual clock.
///
/// It drives DevPayRetry's pure parts (`RetrySchedule`, the backoff, `AdaptiveRateLimiter`) exactly as its
/// `RetryEngine` does, without the engine's tasks and sleeps, so five simulated minutes of 1 000 clients
/// take well under a second and the same seed always gives the same figures.
public enum RetryStormSimulation {
    /// Runs `strategy` in `scenario`, drawing arrivals and jitter from `random`.
    public static func run(
        _ strategy: RetryStormStrategy,
        in scenario: RetryStormScenario,
        using random: inout some RandomNumberGenerator
    ) -> RetryStormResult {
        var simulation = Simulation(strategy: strategy, scenario: scenario)
        simulation.run(using: &random)
        return simulation.result
    }
}

/// The mutable state of one simulation run.
private struct Simulation {
    enum Event {
        /// A client wants to send its next attempt.
        case send(client: Int)
        /// The answer to a client's attempt arrives.
        case answer(client: Int, throttled: Bool)
    }

    struct ScheduledEvent: Comparable {
        let time: Duration
        /// Breaks ties in scheduling order, so runs are reproducible.
        let sequence: Int
        let event: Event

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
        }

        static func == (lhs: Self, rhs: Self) -> Bool {
            (lhs.time, lhs.sequence) == (rhs.time, rhs.sequence)
        }
    }

    let strategy: RetryStormStrategy
    let scenario: RetryStormScenario
    let policy: any RetryPolicy
    var events = Heap<ScheduledEvent>()
    var nextSequence = 0
    var service: SimulatedService
    var limiters: [AdaptiveRateLimiter]
    var attempts: [Int]
    var successTimes: [Duration] = []
    var requestsSent = 0
    var offeredPerSecond: [Int]
    var servedPerSecond: [Int]

    init(strategy: RetryStormStrategy, scenario: RetryStormScenario) {
        self.strategy = strategy
        self.scenario = scenario
        policy = strategy.policy
        service = SimulatedService(capacityPerSecond: scenario.capacityPerSecond)
        let limiterCount = strategy.sharesLimiter ? 1 : scenario.clients
        limiters = policy.rateLimiter.map { Array(repeating: $0, count: limiterCount) } ?? []
        attempts = Array(repeating: 0, count: scenario.clients)
        let seconds = Int(scenario.duration.components.seconds) + 1
        offeredPerSecond = Array(repeating: 0, count: seconds)
        servedPerSecond = Array(repeating: 0, count: seconds)
    }

    var result: RetryStormResult {
        let needed = (scenario.clients * 99 + 99) / 100
        return RetryStormResult(
            strategy: strategy,
            scenario: scenario,
            requestsSent: requestsSent,
            successes: successTimes.count,
            timeTo99PercentSuccess: successTimes.count >= needed ? successTimes[needed - 1] : nil,
            timeToAllSucceeded: successTimes.count == scenario.clients ? successTimes.last : nil,
            offeredPerSecond: offeredPerSecond,
            servedPerSecond: servedPerSecond,
            maxAttemptsPerClient: attempts.max() ?? 0)
    }

    mutating func run(using random: inout some RandomNumberGenerator) {
        let window = scenario.arrivalWindow.nanoseconds
        for client in 0..<scenario.clients {
            let arrival = window > 0 ? Int64.random(in: 0..<window, using: &random) : 0
            schedule(.send(client: client), at: .nanoseconds(arrival))
        }
        while let next = events.popMin(), next.time < scenario.duration {
            switch next.event {
            case .send(let client):
                send(client, at: next.time)
            case .answer(let client, let throttled):
                receiveAnswer(client, throttled: throttled, at: next.time, using: &random)
            }
        }
    }

    private mutating func schedule(_ event: Event, at time: Duration) {
        events.insert(ScheduledEvent(time: time, sequence: nextSequence, event: event))
        nextSequence += 1
    }

    private func limiterIndex(_ client: Int) -> Int? {
        limiters.isEmpty ? nil : (strategy.sharesLimiter ? 0 : client)
    }

    private mutating func send(_ client: Int, at now: Duration) {
        if let index = limiterIndex(client) {
            let wait = limiters[index].acquireToken(at: now)
            if wait > .zero {
                schedule(.send(client: client), at: now + wait)
                return
            }
        }
        attempts[client] += 1
        requestsSent += 1
        let second = Int(now.components.seconds)
        offeredPerSecond[second] += 1
        let served = service.admit(at: now)
        if served {
            servedPerSecond[second] += 1
        }
        schedule(.answer(client: client, throttled: !served), at: now + scenario.responseTime)
    }

    private mutating func receiveAnswer(
        _ client: Int,
        throttled: Bool,
        at now: Duration,
        using random: inout some RandomNumberGenerator
    ) {
        if let index = limiterIndex(client) {
            limiters[index].recordResponse(throttled: throttled, at: now)
        }
        guard throttled else {
            successTimes.append(now)
            return
        }
        let decision = RetrySchedule.decide(
            policy: policy,
            afterAttempt: attempts[client],
            classification: .throttling,
            randomDraw: Double.random(in: 0..<1, using: &random),
            timeRemaining: scenario.duration - now)
        if case .retry(let delay) = decision {
            schedule(.send(client: client), at: now + delay)
        }
    }
}

/// The service: it serves a request if fewer than its capacity were served in the second before, and
/// answers 503 otherwise (a sliding one-second window, kept as a ring of the last served times).
private struct SimulatedService {
    private var servedTimes: [Duration]
    private var oldest = 0

    init(capacityPerSecond: Int) {
        servedTimes = []
        servedTimes.reserveCapacity(capacityPerSecond)
        self.capacity = capacityPerSecond
    }

    private let capacity: Int

    mutating func admit(at now: Duration) -> Bool {
        if servedTimes.count < capacity {
            servedTimes.append(now)
            return true
        }
        guard servedTimes[oldest] <= now - .seconds(1) else {
            return false
        }
        servedTimes[oldest] = now
        oldest = (oldest + 1) % capacity
        return true
    }
}
