import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Foundation
import Testing

@Suite("snapshot and restore", .timeLimit(.minutes(SanitizerRun.minutes(1))))
struct SnapshotTests {
    typealias Machine = StateMachine<Connection, ManualClock>

    /// A machine online since t=0: event timeout at 30 s and heartbeat at 10 s pending.
    private func onlineMachine(clock: ManualClock) async -> Machine {
        let machine = Machine(Connection(), initialState: .connecting(attempt: 1), clock: clock) { _, _ in nil }
        await machine.send(.connected(id: "c1"))
        return machine
    }

    @Test("a snapshot holds version, state and pending timers as absolute deadlines, and survives JSON")
    func snapshotRoundTrip() async throws {
        let clock = ManualClock()
        clock.advance(by: .seconds(100))
        let snapshot = await onlineMachine(clock: clock).snapshot()
        #expect(snapshot.version == 1)
        #expect(snapshot.state == .online(id: "c1"))
        #expect(snapshot.timers == [
            PendingTimer(kind: .named("heartbeat"), deadline: .init(offset: .seconds(110)), event: .heartbeat),
            PendingTimer(kind: .eventTimeout, deadline: .init(offset: .seconds(130)), event: .idleTimeout),
        ])
        let decoded = try JSONDecoder().decode(
            Snapshot<Connection, ManualClock.Instant>.self, from: JSONEncoder().encode(snapshot))
        #expect(decoded == snapshot)
    }

    @Test("restore re-arms future timers at their absolute deadlines")
    func restoreRearms() async throws {
        let clock = ManualClock()
        let snapshot = await onlineMachine(clock: clock).snapshot()
        clock.advance(by: .seconds(4))  // time passes while the app is not running
        let restored = try await Machine.restore(snapshot, definition: Connection(), clock: clock) { _, _ in nil }
        #expect(await restored.state == .online(id: "c1"))
        #expect(await restored.pendingTimers == snapshot.timers)
        await clock.waitForSleepers(count: 2)
        #expect(clock.sleeperDeadlines == [.init(offset: .seconds(10)), .init(offset: .seconds(30))])
    }

    @Test("restore fires timers whose deadline has passed before it returns, earliest first")
    func restoreFiresPastDeadlines() async throws {
        let clock = ManualClock()
        let snapshot = await onlineMachine(clock: clock).snapshot()
        clock.advance(by: .seconds(45))  // both the heartbeat (10 s) and the event timeout (30 s) are overdue
        let performed = Recorder<Connection.Effect>()
        let restored = try await Machine.restore(snapshot, definition: Connection(), clock: clock) { effect, _ in
            performed.record(effect)
            return nil
        }
        // The heartbeat fired first (online, a new heartbeat and event timeout from t=45), then the old event
        // timeout was no longer pending: the heartbeat, an event, cancelled it.
        #expect(await restored.state == .online(id: "c1"))
        #expect(await restored.pendingTimers.map(\.deadline) == [.init(offset: .seconds(55)), .init(offset: .seconds(75))])
    }

    @Test("an overdue state timeout moves the machine before restore returns")
    func overdueStateTimeout() async throws {
        let clock = ManualClock()
        let machine = Machine(Connection(), initialState: .idle, clock: clock) { _, _ in nil }
        await machine.send(.connect)
        let snapshot = await machine.snapshot()
        await machine.stop()
        clock.advance(by: .seconds(6))
        let restored = try await Machine.restore(snapshot, definition: Connection(), clock: clock) { _, _ in nil }
        #expect(await restored.state == .connecting(attempt: 2))
        #expect(await restored.pendingTimers.map(\.deadline) == [.init(offset: .seconds(11))])
    }

    @Test("a snapshot of another version is refused")
    func versionMismatch() async {
        struct ConnectionV2: StateMachineDefinition {
            typealias State = Connection.State
            typealias Event = Connection.Event
            typealias Effect = Connection.Effect
            var version: Int { 2 }
            var table: TransitionTable<ConnectionV2> {
                TransitionTable { Rule(from: .idle, on: .connect, to: State.offline) }
            }
        }
        let old = Snapshot<ConnectionV2, ManualClock.Instant>(version: 1, state: .idle, timers: [])
        await #expect(throws: SnapshotError.versionMismatch(expected: 2, found: 1)) {
            try await StateMachine.restore(old, definition: ConnectionV2(), clock: ManualClock()) { _, _ in nil }
        }
    }

    @Test("a snapshot whose state the table does not know, or with a timer kind twice, is refused")
    func invalidSnapshots() async {
        struct Small: StateMachineDefinition {
            typealias State = Connection.State
            typealias Event = Connection.Event
            typealias Effect = Connection.Effect
            var table: TransitionTable<Small> {
                TransitionTable { Rule(from: .idle, on: .connect, to: State.offline) }
            }
        }
        let clock = ManualClock()
        let unknown = Snapshot<Small, ManualClock.Instant>(version: 1, state: .online(id: "x"), timers: [])
        await #expect(throws: SnapshotError.unknownState("online")) {
            try await StateMachine.restore(unknown, definition: Small(), clock: clock) { _, _ in nil }
        }
        let twice = Snapshot<Small, ManualClock.Instant>(
            version: 1, state: .idle,
            timers: [
                PendingTimer(kind: .stateTimeout, deadline: .init(offset: .seconds(1)), event: .timeout),
                PendingTimer(kind: .stateTimeout, deadline: .init(offset: .seconds(2)), event: .timeout),
            ])
        await #expect(throws: SnapshotError.duplicateTimer(.stateTimeout)) {
            try await StateMachine.restore(twice, definition: Small(), clock: clock) { _, _ in nil }
        }
    }
}
