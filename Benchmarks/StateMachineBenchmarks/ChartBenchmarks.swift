import Benchmark
import DevPayStateMachine

/// The count both counter charts keep.
struct Count: Sendable {
    var value = 0
}

/// The guarded counter's rules, the same as `Benchmarks/GenStatem/counter_statem.erl`: `Up` counts up while
/// below 1000 and wraps to 0 otherwise; a call's reply is the new count. Payload-free events, so a send
/// allocates nothing.
@NodeBuilder<Definition>
func counterRules<Definition: Statechart>() -> [NodeItem<Definition>] where Definition.Context == Count {
    On(CounterChart.Up.self, when: Condition("below 1000") { count, _ in count.value < 1000 }) { turn in
        turn.context.value += 1
        turn.reply(turn.context.value)
    }
    On(CounterChart.Up.self) { turn in
        turn.context.value = 0
        turn.reply(0)
    }
}

/// The counter in one flat state.
struct CounterChart: Statechart {
    enum State: ChartState { case counting }
    typealias Context = Count
    struct Up: ChartEvent { typealias Reply = Int }

    var chart: Chart<CounterChart> {
        Chart(initial: .counting) {
            Node(.counting) { counterRules() }
        }
    }
}

/// The same counter with its rules on the outermost of three nested states: every step is dispatched from
/// the innermost leaf up through two ancestors before the rule that takes it is found.
struct NestedCounterChart: Statechart {
    enum State: ChartState { case outer, middle, inner }
    typealias Context = Count

    var chart: Chart<NestedCounterChart> {
        Chart(initial: .outer) {
            Node(.outer, initial: .middle) {
                counterRules()
                Node(.middle, initial: .inner) {
                    Node(.inner)
                }
            }
        }
    }
}

/// Steps `definition`'s pure core with `Up` 1000 times per iteration.
func pureSteps<Definition: Statechart>(_ name: String, _ definition: Definition, _ metrics: [BenchmarkMetric])
where Definition.Context == Count {
    Benchmark(name, configuration: .init(metrics: metrics, scalingFactor: .kilo)) { benchmark in
        var core = ChartCore(definition, context: Count())
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(core.send(CounterChart.Up()))
        }
        benchmark.stopMeasurement()
        blackHole(core.context.value)
    }
}

func chartBenchmarks(_ metrics: [BenchmarkMetric]) {
    pureSteps("pure transitions (1000 per iteration)", CounterChart(), metrics)
    pureSteps("pure transitions, rules 3 levels up (1000 per iteration)", NestedCounterChart(), metrics)

    Benchmark(
        "actor round trips (1000 sends per iteration)",
        configuration: .init(metrics: metrics, scalingFactor: .kilo)
    ) { benchmark in
        let machine = await ChartMachine(CounterChart(), context: Count(), clock: ContinuousClock()) { _, _ in }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(await machine.send(CounterChart.Up()))
        }
        benchmark.stopMeasurement()
    }

    Benchmark(
        "call round trips (1000 calls per iteration)",
        configuration: .init(metrics: metrics, scalingFactor: .kilo)
    ) { benchmark in
        let machine = await ChartMachine(CounterChart(), context: Count(), clock: ContinuousClock()) { _, _ in }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await machine.call(CounterChart.Up()))
        }
        benchmark.stopMeasurement()
    }
}
