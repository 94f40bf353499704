import DevPayKit
import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import PropertyBased
import Testing

/// The framework's stateful harness on the lifecycle's own table: random events (including effect results
/// and timer events) and clock advances run on the `StateMachine` actor in lockstep with the pure model;
/// every declared arrow must be taken. A failure reports the minimal sequence and the seed.
@Suite("Activation table under the stateful harness")
struct ActivationTableStatefulTests {
    static let definition = ActivationStateMachine(
        polling: PollingSchedule(every: .seconds(30), for: .seconds(90)),
        recheck: RecheckSchedule(firstDelay: .seconds(2), maximumDelay: .seconds(8), jitterSeed: 3))

    static let events: [ActivationEvent] = [
        .restore, .storedSetFound(expiresIn: .seconds(120)), .storedSetFound(expiresIn: nil),
        .storedSetFound(expiresIn: .zero), .storedSetMissing, .storedSetUnreadable, .storeUnavailable(message: "EIO"),
        .activate(key: Fixtures.key), .reactivate(key: Fixtures.otherKey),
        .activationSucceeded(Fixtures.credentials(1)), .activationFailed(Fixtures.expiredKey),
        .activationFailed(Fixtures.wrongProduct), .setStored(expiresIn: .seconds(300)), .setStored(expiresIn: nil),
        .storeFailed(message: "disk full"), .verifySubscription, .pollDue, .verificationRetryDue,
        .subscriptionChecked(subscribed: true), .subscriptionChecked(subscribed: false),
        .verificationFailed(Fixtures.throttled), .verificationFailed(Fixtures.badUserToken),
        .verificationFailed(Fixtures.badProductToken), .tokenExpired, .s3CredentialsRejected(code: "ExpiredToken"),
        .s3TokenRefreshRequired, .s3AccessDenied(code: "AccessDenied"), .tokenRefreshed(Fixtures.credentials(2)),
        .refreshFailed(Fixtures.throttled), .refreshFailed(Fixtures.badUserToken), .signOut, .storedSetDeleted,
        .deleteFailed(message: "busy"),
    ]
        // Weighted towards the way into subscribed, the token refresh and a reactivation that fails while
        // subscribed, which a uniform walk seldom reaches.
        + [.subscriptionChecked(subscribed: true), .s3TokenRefreshRequired, .s3TokenRefreshRequired,
           .tokenRefreshed(Fixtures.credentials(3)), .setStored(expiresIn: nil), .refreshFailed(Fixtures.throttled),
           .reactivate(key: Fixtures.otherKey), .storeFailed(message: "read-only")]

    @Test("the runtime follows the model on random sequences and every arrow is taken", .timeLimit(.minutes(SanitizerRun.minutes(3))))
    func lockstep() async {
        let definition = Self.definition
        let table = definition.table
        let check = StatefulMachineCheck(
            definition, initialState: .restoring,
            // Rejections change nothing (pinned by the pure tests); skipping them lets sequences go deep.
            precondition: { state, command in
                guard case .send(let event) = command else { return true }
                return table.reacts(to: event.name, in: state.name)
            },
            invariants: [
                Invariant("polling checks stay within the schedule") { state in
                    guard case .activatedUnsubscribed(let left) = state else { return true }
                    return (0...definition.polling.checks).contains(left)
                },
                Invariant("checks are counted from the first") { state in
                    switch state {
                    case .verifying(_, let attempt): attempt >= 1
                    case .subscriptionUnknown(_, let attempt): attempt >= 0
                    default: true
                    }
                },
                Invariant("a reactivation falls back only to a stable state") { state in
                    guard case .reactivating(let previous) = state else { return true }
                    return [.activatedUnsubscribed, .subscriptionUnknown, .subscribed, .expiredNeedsReactivation]
                        .contains(previous.name)
                },
            ])
        await check.run(
            count: 2000,
            commands: MachineCommand<ActivationStateMachine>.sequences(
                events: Gen.int(in: 0...(Self.events.count - 1)).map { Self.events[$0] }, delays: Duration.seconds(1)...Duration.seconds(400),
                length: 0...100))
        check.coverage.expectComplete()
    }
}
