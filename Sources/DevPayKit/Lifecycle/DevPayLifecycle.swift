import DevPayLicenseService
import DevPayStateMachine
import Foundation
import NIOConcurrencyHelpers

/// One DevPay product's activation lifecycle: activation, subscription checks, token deadlines,
/// reactivation, and the gate every S3 request of that product goes through.
///
/// It runs ``ActivationStateMachine`` on a `StateMachine` actor and performs its effects with the
/// configured License Service client and credential store. An app selling several DevPay products creates
/// one lifecycle per product: each has its own store, machine and timers, and shares nothing.
///
/// ```swift
/// let lifecycle = await DevPayLifecycle(configuration: configuration)   // restores and verifies once
/// for await state in await lifecycle.states { render(state) }
/// try await lifecycle.activate(key: keyTheCustomerPasted)
/// let buckets = try await lifecycle.withS3Credentials { credentials in try await s3.listBuckets(credentials) }
/// ```
public actor DevPayLifecycle<C: Clock> where C.Duration == Duration {
    /// The lifecycle's machine (its table is the spec in `Specs/activation-lifecycle.md`).
    public nonisolated let definition: ActivationStateMachine
    let machine: StateMachine<ActivationStateMachine, C>
    let configuration: LifecycleConfiguration<C>
    let current: CurrentCredentials
    /// Correction of the local clock learned from S3's `RequestTimeTooSkewed` answers.
    let clockOffset = NIOLockedValueBox<Duration>(.zero)

    /// Creates the lifecycle and starts it: the stored set (and its token deadline) is read before this
    /// returns, so ``activate(key:)`` can follow at once; a found set's subscription is then checked once in
    /// the background. Observe ``states`` to follow it.
    public init(configuration: LifecycleConfiguration<C>) async {
        let definition = ActivationStateMachine(
            polling: configuration.polling, recheck: configuration.recheck,
            checksAtLaunch: configuration.checksSubscriptionAtLaunch)
        let current = CurrentCredentials()
        let performer = LifecycleEffectPerformer(
            productToken: configuration.productToken, licenseService: configuration.licenseService,
            store: configuration.store, wallClock: configuration.wallClock,
            tokenExpiration: configuration.tokenExpiration, current: current)
        self.definition = definition
        self.configuration = configuration
        self.current = current
        self.machine = StateMachine(definition, initialState: .restoring, clock: configuration.clock) { effect, _ in
            await performer.perform(effect)
        }
        let records = await machine.transitions()
        await machine.send(.restore)
        // Reading the store is quick and local; waiting for it spares apps a `notAllowed(restoring)` on a call
        // made right after creation. A store that cannot be read ends the wait too (the lifecycle stays
        // restoring and reads it again later); a stopped machine ends it early, and then calls say so.
        let loadResults: [ActivationEvent.Name] = [.storedSetFound, .storedSetMissing, .storedSetUnreadable, .storeUnavailable]
        for await notice in records {
            if let record = notice.value, loadResults.contains(record.event.name) { break }
        }
    }

    /// Stops timers and pending work and finishes the streams; later calls throw
    /// ``DevPayLifecycleError/shutDown``. The stored set is kept.
    public func shutDown() async {
        await machine.stop()
    }

    // MARK: Observation

    /// The current state.
    public var state: ActivationState {
        get async { await machine.state }
    }

    /// A new stream of states for one subscriber: the current state first, then each state entered.
    public var states: AsyncStream<ActivationState> {
        get async { await machine.states() }
    }

    /// A new stream of every transition from now on, for one subscriber, without secrets.
    public var transitions: AsyncStream<LifecycleTransition<C.Instant>> {
        get async {
            let records = await machine.transitions()
            let (stream, continuation) = AsyncStream.makeStream(of: LifecycleTransition<C.Instant>.self)
            let forwarding = Task {
                var missed = 0
                for await notice in records {
                    switch notice {
                    case .missed(let count):
                        missed += count
                    case .next(let record):
                        continuation.yield(
                            LifecycleTransition(
                                from: record.from, event: record.event.name, to: record.to,
                                failure: record.event.failure, time: record.time, missedBefore: missed))
                        missed = 0
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in forwarding.cancel() }
            return stream
        }
    }

    // MARK: Calls

    /// Activates the product with the customer's activation key (first activation).
    ///
    /// The key is checked locally (no network call for a malformed key), sent to `ActivateDesktopProduct`,
    /// never stored. Returns once the new set is stored: the state is then
    /// ``ActivationState/activatedUnsubscribed(checksLeft:)`` and the subscription is being polled; watch
    /// ``states`` for ``ActivationState/subscribed``.
    ///
    /// - Throws: ``DevPayLifecycleError/malformedActivationKey(reason:)``; ``DevPayLifecycleError/notAllowed(action:state:)``
    ///   unless unactivated (use ``reactivate(key:)`` then); the License Service or store failure otherwise.
    @discardableResult
    public func activate(key: String) async throws(DevPayLifecycleError) -> ActivationState {
        let key = try Self.checkedKey(key)
        return try await runActivation(.activate(key: key), action: "activate", in: .activating)
    }

    /// Activates the product again with a new key while a set exists (after
    /// ``ActivationState/expiredNeedsReactivation(_:)``, or to replace a working set).
    ///
    /// The new set replaces the old one only once it is stored. If the activation or the store fails, the
    /// state and the old set are as they were and the failure is thrown.
    @discardableResult
    public func reactivate(key: String) async throws(DevPayLifecycleError) -> ActivationState {
        let key = try Self.checkedKey(key)
        return try await runActivation(.reactivate(key: key), action: "reactivate", in: .reactivating)
    }

    /// Checks the subscription now (`VerifyProductSubscriptionByTokens`) and returns the resulting state.
    ///
    /// Returns with the answer to one check: if a check is already in flight (at launch), its answer; the call
    /// is retried only inside the License Service client. A check that got no answer is thrown, and the
    /// lifecycle checks again by itself later (``ActivationState/subscriptionUnknown(_:attempt:)``).
    ///
    /// - Throws: ``DevPayLifecycleError/notAllowed(action:state:)`` without a usable set; the License Service
    ///   failure if the check failed (``LicenseServiceFailure/connection`` names a network or TLS cause).
    @discardableResult
    public func verifySubscription() async throws(DevPayLifecycleError) -> ActivationState {
        let records = await machine.transitions()
        try await send(.verifySubscription, action: "verifySubscription")
        let record = try await first(in: records) { record in
            let answered = [.subscriptionChecked, .verificationFailed].contains(record.event.name)
            let leftForOtherReasons = ![.activatedUnsubscribed, .subscribed, .verifying, .subscriptionUnknown]
                .contains(record.to.name)
            return answered || leftForOtherReasons
        }
        if case .verificationFailed(let failure) = record.event { throw .licenseService(failure) }
        return record.to
    }

    /// Waits until the customer is subscribed and returns ``ActivationState/subscribed``.
    ///
    /// Returns at once when already subscribed. Meanwhile the lifecycle polls and re-checks by itself.
    ///
    /// - Parameter timeout: how long to wait, on the lifecycle's clock.
    /// - Throws: ``DevPayLifecycleError/notSubscribed(_:)`` with the state when `timeout` passes first, or as
    ///   soon as the lifecycle rests where only the app can move it on (``ActivationState/unactivated``,
    ///   ``ActivationState/expiredNeedsReactivation(_:)``); ``DevPayLifecycleError/shutDown`` if it stops.
    @discardableResult
    public func waitUntilSubscribed(timeout: Duration) async throws(DevPayLifecycleError) -> ActivationState {
        let now = await machine.state
        if now == .subscribed { return now }
        let settled: ActivationState
        do {
            settled = try await machine.wait(until: { [.subscribed, .unactivated, .expiredNeedsReactivation].contains($0.name) },
                                             timeout: timeout)
        } catch {
            if case .stopped = error { throw .shutDown }
            throw .notSubscribed(await machine.state)
        }
        guard settled == .subscribed else { throw .notSubscribed(settled) }
        return settled
    }

    /// Signs the customer out: deletes the stored set and returns to ``ActivationState/unactivated``.
    ///
    /// - Throws: ``DevPayLifecycleError/notAllowed(action:state:)`` while an activation is in flight;
    ///   ``DevPayLifecycleError/credentialStorage(message:)`` if the deletion failed.
    public func signOut() async throws(DevPayLifecycleError) {
        let records = await machine.transitions()
        try await send(.signOut, action: "signOut")
        let record = try await first(in: records) { $0.from.name == .signingOut }
        if let failure = record.event.failure { throw failure }
    }

    // MARK: Helpers

    /// The client-side check of docs/protocol.md §1 (trim, upper-case, `[A-Z0-9]{1,64}`): no network call otherwise.
    static func checkedKey(_ text: String) throws(DevPayLifecycleError) -> ActivationKey {
        do {
            return try ActivationKey(text)
        } catch {
            throw .malformedActivationKey(reason: error.description)
        }
    }

    private func runActivation(
        _ event: ActivationEvent, action: String, in transient: ActivationState.Name
    ) async throws(DevPayLifecycleError) -> ActivationState {
        let records = await machine.transitions()
        try await send(event, action: action)
        let record = try await first(in: records) { $0.from.name == transient && $0.to.name != transient }
        if let failure = record.event.failure { throw failure }
        return record.to
    }

    func send(_ event: ActivationEvent, action: String) async throws(DevPayLifecycleError) {
        let transition = await machine.send(event)
        if let rejection = transition.rejection {
            throw rejection.reason == .stopped ? .shutDown : .notAllowed(action: action, state: rejection.state)
        }
    }

    func first(
        in records: AsyncStream<Observed<TransitionRecord<ActivationStateMachine, C.Instant>>>,
        where predicate: (TransitionRecord<ActivationStateMachine, C.Instant>) -> Bool
    ) async throws(DevPayLifecycleError) -> TransitionRecord<ActivationStateMachine, C.Instant> {
        for await notice in records {
            if let record = notice.value, predicate(record) { return record }
        }
        throw .shutDown
    }
}
