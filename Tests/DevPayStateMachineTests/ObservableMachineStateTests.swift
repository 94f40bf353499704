import DevPayStateMachine
import DevPayStateMachineTesting
import Observation
import Testing

/// Suspends until Observation reports a change to `observed` that makes `condition` true: if the object did
/// not notify its observers, this would never return and the suite's time limit would fail the test.
@MainActor
func waitForObservedChange<State>(
    _ observed: ObservableMachineState<State>, _ condition: (ObservableMachineState<State>) -> Bool
) async {
    while !condition(observed) {
        await withCheckedContinuation { (changed: CheckedContinuation<Void, Never>) in
            withObservationTracking {
                _ = observed.state
                _ = observed.isStopped
            } onChange: {
                changed.resume()
            }
        }
    }
}

@MainActor
@Suite("ObservableMachineState (SwiftUI and Observation)", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct ObservableMachineStateTests {
    @Test("starts with the machine's current state and follows every change, notifying observers")
    func followsTheMachine() async {
        let machine = StateMachine(TimerLab(), initialState: .a, clock: ManualClock())
        await machine.send(.move)
        let observed = await ObservableMachineState(machine)
        #expect(observed.state == .b)

        await machine.send(.move)
        await waitForObservedChange(observed) { $0.state == .a }
        #expect(observed.isStopped == false)
        await machine.stop()
    }

    @Test("a placeholder state is replaced by the machine's real one")
    func placeholderIsCorrected() async {
        let machine = StateMachine(TimerLab(), initialState: .b, clock: ManualClock())
        let observed = ObservableMachineState(machine, state: .a)
        await waitForObservedChange(observed) { $0.state == .b }
        await machine.stop()
    }

    @Test("reports that the machine stopped")
    func reportsStop() async {
        let machine = StateMachine(TimerLab(), initialState: .a, clock: ManualClock())
        let observed = await ObservableMachineState(machine)
        await machine.send(.move)
        await waitForObservedChange(observed) { $0.state == .b }
        await machine.stop()
        await waitForObservedChange(observed) { $0.isStopped }
        #expect(observed.state == .b)
    }

    @Test("releasing the object ends its subscription")
    func releaseUnsubscribes() async {
        let machine = StateMachine(TimerLab(), initialState: .a, clock: ManualClock())
        do {
            let observed = await ObservableMachineState(machine)
            await machine.send(.move)
            await waitForObservedChange(observed) { $0.state == .b }
            #expect(await machine.subscriberCount == 1)
            #expect(observed.state == .b)  // the last use: the object goes away after this line
        }
        #expect(await machine.subscriberCount == 0)
        await machine.stop()
    }
}

/// A two-state chart for the statechart side of the adapter.
private struct Lamp: Statechart {
    enum State: ChartState { case off, on }
    struct Toggle: ChartEvent {}

    var chart: Chart<Lamp> {
        Chart(initial: .off) {
            Node(.off) { On(Toggle.self, to: .on) }
            Node(.on) { On(Toggle.self, to: .off) }
        }
    }
}

@MainActor
@Suite("ObservableMachineState over a ChartMachine", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct ObservableChartStateTests {
    @Test("follows the chart's active leaf on the main actor and reports the stop")
    func followsTheChart() async {
        let machine = await ChartMachine(Lamp(), context: (), clock: ManualClock()) { _, _ in }
        let observed = await ObservableMachineState(machine)
        #expect(observed.state == .off)
        await machine.send(Lamp.Toggle())
        await waitForObservedChange(observed) { $0.state == .on }
        await machine.stop()
        await waitForObservedChange(observed) { $0.isStopped }
    }

}
