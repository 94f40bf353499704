import DevPayStateMachine

/// The DevPay activation lifecycle as one declarative transition table (docs/protocol.md §5).
///
/// The table is pure: ``DevPayLifecycle`` runs it on a `StateMachine` actor and performs its
/// ``ActivationEffect``s; tests step it directly and use it as the model; `Specs/activation-lifecycle.md`
/// and the diagram in `docs/lifecycle.md` are checked against it.
public struct ActivationStateMachine: StateMachineDefinition {
    public typealias State = ActivationState
    public typealias Event = ActivationEvent
    public typealias Effect = ActivationEffect

    /// The name of the timer that fires at the user token's `TokenExpiration` deadline.
    public static let tokenExpiryTimer: TimerName = "tokenExpiry"

    /// How often and how long the subscription is polled after an activation.
    public var polling: PollingSchedule
    /// When a subscription check that got no answer is made again (``ActivationState/subscriptionUnknown(_:attempt:)``).
    public var recheck: RecheckSchedule

    /// Whether a stored set found at launch is checked at once (apps: yes, as the guide asks) or left
    /// ``ActivationState/subscriptionUnknown(_:attempt:)`` until asked (`devpay status`, which answers from the
    /// store without network).
    public var checksAtLaunch: Bool

    /// Creates the machine's definition.
    public init(
        polling: PollingSchedule = .standard, recheck: RecheckSchedule = .standard(jitterSeed: 0),
        checksAtLaunch: Bool = true
    ) {
        self.polling = polling
        self.recheck = recheck
        self.checksAtLaunch = checksAtLaunch
    }

    /// Activation results and stores must land even if a token deadline fires meanwhile (which changes the
    /// state's payload); subscription checks and token refreshes belong to the visit that asked for them, so
    /// a late answer about an old set can never be applied to a new one.
    public func scope(of effect: ActivationEffect) -> EffectScope {
        switch effect {
        case .callActivate, .replaceSet, .storeSet, .loadStoredSet, .deleteStoredSet: .machine
        case .verifySubscription, .refreshUserToken: .state
        }
    }

    /// The transition table.
    public var table: TransitionTable<ActivationStateMachine> {
        TransitionTable(rules: launchRules + activationRules + pollingRules + verifyingRules
            + subscribedRules + refreshRules + reactivationRules + expiryAndSignOutRules)
    }
}

/// The polling schedule after an activation: a check every `interval`, `checks` checks in all.
public struct PollingSchedule: Sendable, Hashable {
    /// The time between two subscription checks.
    public var interval: Duration
    /// How many checks are made after an activation (the first one at once).
    public var checks: Int

    /// A check every `interval` for `duration` (at least one check).
    public init(every interval: Duration, for duration: Duration) {
        self.interval = interval
        self.checks = max(1, Int(duration / interval))
    }

    /// Every 30 seconds for 20 minutes (40 checks), as public DevPay clients did.
    public static let standard = PollingSchedule(every: .seconds(30), for: .seconds(20 * 60))
}

extension ActivationStateMachine {
    /// The lifecycle's state diagram (Mermaid `stateDiagram-v2`), generated from the table; `docs/lifecycle.md`
    /// holds a copy that a test keeps current.
    public var mermaidDiagram: String {
        table.mermaid(initial: .restoring)
    }
}
