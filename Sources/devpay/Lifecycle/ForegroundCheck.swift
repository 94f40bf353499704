import ArgumentParser
import DevPayKit

/// One subscription check made while a person waits (`verify`, `status --verify`): a single License Service
/// call with a short deadline, its retries inside the client, and no background re-checks waited for.
struct ForegroundCheckOptions: ParsableArguments {
    @Option(help: "Seconds one subscription check may take, retries included (an unreachable service is reported after it).")
    var timeout: Double = 2.5

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    var deadline: Duration { .milliseconds(Int64((timeout * 1000).rounded())) }
}

extension DevPayLifecycle {
    /// The answer of one check when a set is held (joining the launch check if it is still in flight); the
    /// state as it is otherwise.
    func checkedState() async throws -> ActivationState {
        let state = await state
        guard state.holdsCredentialSet, state.name != .expiredNeedsReactivation else { return state }
        return try await verifySubscription()
    }
}
