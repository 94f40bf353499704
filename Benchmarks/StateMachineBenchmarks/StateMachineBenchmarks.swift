import Benchmark
import DevPayStateMachine
import Synchronization

/// Framework 1 (the flat `StateMachine`, still used by the lifecycle): a machine whose every step is accepted and depends on the payload: the cost of a realistic transition
/// (guard, payload match, target check), not of a lookup miss.
struct Counter: StateMachineDefinition {
    enum State: MachineState {
        case counting(Int)
        enum Name: CaseIterable { case counting }
        var name: Name { .counting }
    }

    enum Event: MachineEvent, CaseIterable { case up, down }
    enum Effect: Sendable { case wrapped }

    var table: TransitionTable<Counter> {
        TransitionTable {
            Rule(from: .counting, on: .up, to: [.counting], when: Guard("below 1000") { state, _ in state.value < 1000 }) {
                state, _ in .to(.counting(state.value + 1))
            }
            Rule(from: .counting, on: .up, to: State.counting(0), effects: [.wrapped])
            Rule(from: .counting, on: .down, to: [.counting]) { state, _ in .to(.counting(state.value - 1)) }
        }
    }
}

extension Counter.State {
    var value: Int {
        switch self { case .counting(let value): value }
    }
}

/// Counts deliveries to the fan-out observers and wakes the benchmark when all have seen the event.
final class Arrivals: Sendable {
    private struct State {
        var count = 0
        var target = Int.max
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func arrive() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count >= state.target else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func wait(for target: Int) async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.count >= target { return true }
                state.target = target
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

    chartBenchmarks(metrics)

    Benchmark(
        "framework 1 (flat StateMachine): pure transitions (1000 per iteration)",
        configuration: .init(metrics: metrics, scalingFactor: .kilo)
    ) { benchmark in
        let table = Counter().table
        var state = Counter.State.counting(0)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            state = table.next(state, .up).state
        }
        benchmark.stopMeasurement()
        blackHole(state)
    }

    Benchmark(
        "framework 1 (flat StateMachine): actor round trips (1000 sends per iteration)",
        configuration: .init(metrics: metrics, scalingFactor: .kilo)
    ) { benchmark in
        let machine = StateMachine(Counter(), initialState: .counting(0), clock: ContinuousClock()) { _, _ in nil }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(await machine.send(.up))
        }
        benchmark.stopMeasurement()
    }

    Benchmark(
        "one event fanned out to 1000 observers (1000 events per iteration)",
        configuration: .init(metrics: metrics, scalingFactor: .kilo, maxDuration: .seconds(20), maxIterations: 50)
    ) { benchmark in
        let observers = 1000
        let machine = StateMachine(Counter(), initialState: .counting(0), clock: ContinuousClock()) { _, _ in nil }
        let arrivals = Arrivals()
        var consumers: [Task<Void, Never>] = []
        for _ in 0..<observers {
            let stream = await machine.transitions(bufferLimit: 16)
            consumers.append(Task {
                for await _ in stream { arrivals.arrive() }
            })
        }
        var delivered = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            await machine.send(.up)
            delivered += observers
            await arrivals.wait(for: delivered)
        }
        benchmark.stopMeasurement()
        await machine.stop()
        for consumer in consumers { await consumer.value }
    }
}
