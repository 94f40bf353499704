@testable import DevPayKit
import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Foundation
import PropertyBased
import NIOConcurrencyHelpers
import Testing

/// Random sessions against the real actor with fake services, checked step by step against the pure table
/// (the model) and against the lifecycle's invariants. A failure prints the seed to replay it
/// (`.fixedSeed(…)` on the test).
@Suite("Lifecycle under random sessions")
struct LifecyclePropertyTests {
    @Test("random sessions keep every lifecycle invariant", .timeLimit(.minutes(SanitizerRun.minutes(3))))
    func randomSessions() async {
        let visited = NIOLockedValueBox<Set<ActivationState.Name>>([])
        await propertyCheck(count: 40, input: LifecycleCommand.generator.array(of: 5...30)) { commands in
            let session = Session()
            await session.run(commands)
            visited.withLockedValue { $0.formUnion(session.visited.withLockedValue { $0 }) }
        }
        // The sessions must actually exercise the machine, or the invariants above prove nothing. `restoring`
        // is left before `init` returns, so no observer sees it; the stateful table test covers its transitions.
        let missing = Set(ActivationState.Name.allCases).subtracting(visited.withLockedValue { $0 }).subtracting([.restoring])
        #expect(missing.isEmpty, "no session reached \(missing)")
    }
}

/// One random session: a lifecycle per process lifetime, the same store, service and clock throughout.
final class Session: Sendable {
    let clock = ManualClock()
    let service = FakeLicenseService()
    let store = FakeCredentialStore()
    let sentWhileNotSubscribed = NIOLockedValueBox(0)
    let visited = NIOLockedValueBox<Set<ActivationState.Name>>([])

    /// Every session starts by reaching subscribed, so the trouble that follows meets every state.
    static let prelude: [LifecycleCommand] = [.setSubscribed(true), .activate(.valid)]

    func run(_ generated: [LifecycleCommand]) async {
        let commands = Self.prelude + generated
        var process = await AppProcess(session: self)
        await process.settle(context: "launch")
        for (index, command) in commands.enumerated() {
            let context = "step \(index) \(command) in \(commands)"
            let before = await (process.harness.lifecycle.state, store.record)
            var failedActivation = false
            switch command {
            case .activate(let kind), .reactivate(let kind):
                let isReactivation = if case .reactivate = command { true } else { false }
                failedActivation = await activate(kind, reactivation: isReactivation, on: process.harness.lifecycle)
            case .verifyOnDemand:
                // Not awaited: while a retry backoff waits for the manual clock, the answer comes only with a
                // later time advance; shut-down ends the wait at the latest.
                let lifecycle = process.harness.lifecycle
                Task { _ = try? await lifecycle.verifySubscription() }
            case .setSubscribed(let value):
                await service.setSubscribed(value)
            case .serviceTrouble(let trouble):
                await service.failVerifications(Self.failures(for: trouble))
                await service.failRefreshes(Array(Self.failures(for: trouble).prefix(1)))
            case .revokeTokens:
                await service.invalidateAllTokens()
            case .advance(let seconds):
                clock.advance(by: .seconds(seconds))
            case .s3(let code):
                await sendS3(code: code, through: process.harness.lifecycle)
            case .restart(let corrupt):
                await process.end(context: context)
                if corrupt { await store.corrupt() }
                process = await AppProcess(session: self)
                await process.settle(context: "relaunch")
            case .storeFailsNextSave:
                await store.failNextSaves(1)
            case .signOut:
                try? await process.harness.lifecycle.signOut()
            }
            await process.settle(context: context)
            await checkInvariants(after: command, before: before, failedActivation: failedActivation,
                                  lifecycle: process.harness.lifecycle, context: context)
        }
        await process.end(context: "end of \(commands)")
        #expect(sentWhileNotSubscribed.withLockedValue { $0 } == 0, "an S3 request went out while not subscribed")
    }

    /// Returns whether a (re)activation that the lifecycle accepted failed.
    private func activate(_ kind: LifecycleCommand.KeyKind, reactivation: Bool, on lifecycle: DevPayLifecycle<ManualClock>) async -> Bool {
        let key: String
        switch kind {
        case .valid: key = Fixtures.key.value
        case .malformed: key = "not a key!"
        case .expired: key = Fixtures.otherKey.value; await service.failActivations([Fixtures.expiredKey])
        case .wrongProduct: key = Fixtures.otherKey.value; await service.failActivations([Fixtures.wrongProduct])
        }
        let calls = await service.count("activate")
        defer { Task { await self.service.failActivations([]) } }
        do {
            _ = reactivation ? try await lifecycle.reactivate(key: key) : try await lifecycle.activate(key: key)
            return false
        } catch .malformedActivationKey {
            #expect(await service.count("activate") == calls, "a malformed key reached the service")
            return true
        } catch .notAllowed {
            return true
        } catch {
            return true
        }
    }

    private func sendS3(code: String?, through lifecycle: DevPayLifecycle<ManualClock>) async {
        let answered = NIOLockedValueBox(false)
        let epoch = Fixtures.epoch
        _ = try? await lifecycle.withS3Credentials { _ in
            if await lifecycle.state != .subscribed { self.sentWhileNotSubscribed.withLockedValue { $0 += 1 } }
            guard let code else { return }
            // Transient answers come once; credential answers persist as they would on a real service.
            let once = ["TokenRefreshRequired", "RequestTimeTooSkewed", "SlowDown", "InternalError"].contains(code)
            let repeated = answered.withLockedValue { seen in
                defer { seen = true }
                return seen
            }
            if once, repeated { return }
            let status = code == "SlowDown" ? 503 : code == "InternalError" ? 500 : 403
            throw S3ErrorAnswer(code: code, status: status, serverTime: epoch.addingTimeInterval(900))
        }
    }

    private func checkInvariants(
        after command: LifecycleCommand, before: (ActivationState, StoredSet), failedActivation: Bool,
        lifecycle: DevPayLifecycle<ManualClock>, context: String
    ) async {
        let state = await lifecycle.state
        let record = await store.record
        if state == .subscribed {
            let stored = await store.stored
            #expect(stored != nil, "subscribed without a complete stored set: \(context)")
            let signing = try? await lifecycle.withS3Credentials { $0.signing.accessKeyID }
            #expect(signing == stored?.accessKeyID, "the gate signs with another set than the stored one: \(context)")
        }
        switch command {
        case .activate, .reactivate:
            if failedActivation {
                #expect(state == before.0, "a failed activation changed the state: \(context)")
                #expect(record == before.1, "a failed activation changed the stored set: \(context)")
            }
        case .signOut, .restart, .s3:
            break
        default:
            #expect(record == before.1, "the stored set changed without an activation, refresh or sign-out: \(context)")
        }
    }

    static func failures(for trouble: LifecycleCommand.ServiceTrouble) -> [LicenseServiceFailure] {
        switch trouble {
        case .throttledBurst: [Fixtures.throttled, Fixtures.throttled, Fixtures.throttled]
        case .rejectsUserToken: [Fixtures.badUserToken]
        case .badProductToken: [Fixtures.badProductToken]
        case .clockSkew: [LicenseServiceFailure(action: .correctClockAndRetry, code: "RequestExpired", message: "skew")]
        case .undetermined: [LicenseServiceFailure(action: .undetermined, code: "SomethingNew", message: "unknown")]
        }
    }
}

/// One process lifetime of the app: a lifecycle and observers of its states and raw transitions.
struct AppProcess {
    let harness: LifecycleHarness
    let states: Task<[ActivationState], Never>
    let records: Task<[Observed<TransitionRecord<ActivationStateMachine, ManualClock.Instant>>], Never>
    let table: TransitionTable<ActivationStateMachine>
    let session: Session

    init(session: Session) async {
        self.session = session
        harness = await LifecycleHarness(
            clock: session.clock, service: session.service, store: session.store, tokenExpiration: .seconds(3600),
            s3Backoff: .zero)
        let stateStream = await harness.lifecycle.states
        let recordStream = await harness.lifecycle.machine.transitions()
        states = Task { var seen: [ActivationState] = []; for await state in stateStream { seen.append(state) }; return seen }
        records = Task { var seen: [Observed<TransitionRecord<ActivationStateMachine, ManualClock.Instant>>] = []
            for await record in recordStream { seen.append(record) }; return seen }
        // The model is the table the lifecycle was configured with.
        table = harness.lifecycle.definition.table
    }

    /// Waits until no effect is in flight: the state, the calls made and the timers stay the same for a while.
    func settle(context: String) async {
        var last: String?
        var stableRounds = 0
        for _ in 0..<3000 {
            let state = await harness.lifecycle.state
            let snapshot = "\(state) \(await harness.service.calls.count) \(await harness.store.saves) "
                + "\(await harness.store.deletes) \(harness.clock.sleeperDeadlines)"
            let transient: Set<ActivationState.Name> = [.restoring, .activating, .reactivating, .refreshingToken, .signingOut]
            if snapshot == last, !transient.contains(state.name) {
                stableRounds += 1
                if stableRounds >= 4 { return }
            } else {
                stableRounds = 0
            }
            last = snapshot
            try? await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("the lifecycle did not settle: \(context)")
    }

    /// Stops the process and checks what it showed: the raw transitions in lockstep with the pure table, and
    /// the state stream a path of the table's arrows.
    func end(context: String) async {
        await harness.lifecycle.shutDown()
        let seenStates = await states.value
        let seenRecords = await records.value
        session.visited.withLockedValue { $0.formUnion(seenStates.map(\.name)) }
        // Observation starts once the lifecycle is created, which already began restoring.
        let arrows = Set(table.edges.map { "\($0.source)->\($0.target)" })
        for (from, to) in zip(seenStates, seenStates.dropFirst()) {
            #expect(arrows.contains("\(from.name)->\(to.name)"), "state stream jumped \(from) -> \(to): \(context)")
        }
        var previous = seenRecords.first?.value?.from
        for notice in seenRecords {
            guard let record = notice.value else {
                Issue.record("transitions were dropped: \(context)")
                continue
            }
            #expect(record.from == previous, "transitions do not chain: \(context)")
            #expect(table.next(record.from, record.event).state == record.to,
                    "runtime and model disagree on \(record.from) + \(record.event.name): \(context)")
            previous = record.to
        }
    }
}
