import DevPayStateMachine
import Foundation

extension DevPayLifecycle {
    /// Runs one S3 request with the current credentials, only while the customer is subscribed, and feeds
    /// S3's error answers back into the lifecycle (docs/protocol.md §5, ``S3ErrorResponse``).
    ///
    /// `request` signs and sends the request with the given credentials (SigV2 or SigV4 with the DevPay
    /// tokens) and throws ``S3ErrorAnswer`` when S3 answers with an error; any other error is passed through.
    /// The gate may call `request` again: after `TokenRefreshRequired` (once, with the refreshed token),
    /// `SignatureDoesNotMatch` (once; a second one expires the set), `RequestTimeTooSkewed` (once, with the
    /// corrected clock offset), and service faults (with backoff, per ``ExponentialBackoff``).
    ///
    /// - Throws: ``DevPayLifecycleError/notSubscribed(_:)`` without sending anything unless subscribed;
    ///   ``DevPayLifecycleError/s3(_:)`` for an answer that the lifecycle does not resolve.
    public func withS3Credentials<Value: Sendable>(
        _ request: @Sendable (S3RequestCredentials) async throws -> Value
    ) async throws -> Value {
        var retriedForRefresh = false
        var retriedForSignature = false
        var retriedForSkew = false
        var attempt = 0
        while true {
            attempt += 1
            let (used, credentials) = try await subscribedCredentials()
            let answer: S3ErrorAnswer
            do {
                return try await request(credentials)
            } catch let error as S3ErrorAnswer {
                answer = error
            }
            // The set was replaced while the request was out (a reactivation or a refresh finished): the
            // answer is about the old set and must not touch the new one; send again with the new set.
            guard current.credentials == used else { continue }
            switch answer.response {
            case .reactivate:
                await machine.send(.s3CredentialsRejected(code: answer.code ?? "unknown"))
                throw DevPayLifecycleError.s3(answer)
            case .refreshUserTokenThenRetry:
                guard !retriedForRefresh else { throw DevPayLifecycleError.s3(answer) }
                retriedForRefresh = true
                try await refreshUserToken()
            case .retryOnceThenReactivate:
                guard !retriedForSignature else {
                    await machine.send(.s3CredentialsRejected(code: answer.code ?? "SignatureDoesNotMatch"))
                    throw DevPayLifecycleError.s3(answer)
                }
                retriedForSignature = true
            case .correctClockSkewThenRetry:
                guard !retriedForSkew, let serverTime = answer.serverTime else { throw DevPayLifecycleError.s3(answer) }
                retriedForSkew = true
                let offset = Duration.seconds(serverTime.timeIntervalSince(configuration.wallClock()))
                clockOffset.withLockedValue { $0 = offset }
            case .verifySubscription:
                await machine.send(.s3AccessDenied(code: answer.code ?? "AccessDenied"))
                throw DevPayLifecycleError.s3(answer)
            case .retryWithBackoff:
                guard attempt < configuration.s3Retry.maximumAttempts else { throw DevPayLifecycleError.s3(answer) }
                try await configuration.clock.sleep(for: configuration.s3Retry.backoff(after: attempt))
            case .reportToCaller:
                throw DevPayLifecycleError.s3(answer)
            }
        }
    }

    /// The current credentials, or `notSubscribed` without a request.
    private func subscribedCredentials() async throws(DevPayLifecycleError)
        -> (LifecycleCredentials, S3RequestCredentials)
    {
        let state = await machine.state
        guard state == .subscribed, let credentials = current.credentials else {
            throw .notSubscribed(state)
        }
        let signing = S3RequestCredentials(
            credentials: credentials, productToken: configuration.productToken,
            clockOffset: clockOffset.withLockedValue { $0 })
        return (credentials, signing)
    }

    /// Asks the machine to refresh the user token (or joins a refresh another request started) and waits
    /// until it is done.
    private func refreshUserToken() async throws(DevPayLifecycleError) {
        let records = await machine.transitions()
        let transition = await machine.send(.s3TokenRefreshRequired)
        if transition.rejection != nil {
            // Another request may have started the refresh already; anything else ends in notSubscribed.
            guard await machine.state == .refreshingToken else { return }
        }
        _ = try await first(in: records) { $0.from.name == .refreshingToken && $0.to.name != .refreshingToken }
    }
}
