import DevPayStateMachine

/// The DevPay activation lifecycle as one declarative transition table (protocol doc §5).
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
    /// How a subscription check that failed for a passing reason is retried in ``ActivationState/verifying(_:attempt:)``.
    public var verificationRetry: VerificationRetryPolicy

    /// Creates the machine's definition.
    public init(polling: PollingSchedule = .standard, verificationRetry: VerificationRetryPolicy = .standard) {
        self.polling = polling
        self.verificationRetry = verificationRetry
    }

    /// Activation results and stores must land even if a token deadline fires meanwhile (which changes the
    /// state's payload); subscription checks and token refreshes belong to the visit that asked for them, so
    /// a late answer about an old set can never be applied to a new one.
    public func scope(of effect: ActivationEffect) -> EffectScope {
        switch effect {
        case .callActivate, .storeSet, .loadStoredSet, .deleteStoredSet: .machine
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

/// How a subscription check that failed for a passing reason (throttling, no answer) is retried while the
/// subscription is unknown.
public struct VerificationRetryPolicy: Sendable, Hashable {
    /// The most checks made before giving up (the first included).
    public var maximumAttempts: Int
    /// The wait before the second check; it doubles for each later one.
    public var initialBackoff: Duration
    /// The longest wait.
    public var maximumBackoff: Duration

    /// Creates a policy.
    public init(maximumAttempts: Int, initialBackoff: Duration, maximumBackoff: Duration) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// Four checks, 2 s, 4 s, 8 s apart.
    public static let standard = VerificationRetryPolicy(
        maximumAttempts: 4, initialBackoff: .seconds(2), maximumBackoff: .seconds(60))

    /// The wait after failed attempt number `attempt` (1-based).
    public func backoff(after attempt: Int) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(1, attempt) where delay < maximumBackoff {
            delay *= 2
        }
        return min(delay, maximumBackoff)
    }
}

extension ActivationStateMachine {
    /// The lifecycle's state diagram (Mermaid `stateDiagram-v2`), generated from the table; `docs/lifecycle.md`
    /// holds a copy that a test keeps current.
    public var mermaidDiagram: String {
        table.mermaid(initial: .restoring)
    }
}
