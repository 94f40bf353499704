import Foundation
import Logging

/// Owns the emulator's state and performs every operation on it, one at a time; persists after each change
/// when the emulator has a state folder.
actor EmulatorEngine {
    private(set) var state: EmulatorState
    var factory: CredentialFactory<AnyRandomNumberGenerator>
    var objects: ObjectStore
    /// Multipart uploads started and not yet completed or aborted, by upload id (in memory only: an upload in
    /// progress does not outlive the emulator, as parts are not billed state worth keeping).
    var multipartUploads: [String: MultipartUploadRecord] = [:]
    var faults = FaultPlan.none
    let logger: Logger
    private let wallClock: @Sendable () -> Date
    /// The state folder, nil in memory; readable without entering the actor (object bodies are staged there
    /// before the actor commits them).
    nonisolated let folder: StateFolder?

    init(
        folder: StateFolder?, clock: EmulatorClock, random: any RandomNumberGenerator & Sendable,
        wallClock: @escaping @Sendable () -> Date, logger: Logger
    ) throws(EmulatorError) {
        self.folder = folder
        self.state = try folder?.load() ?? EmulatorState(clock: clock)
        self.factory = CredentialFactory(generator: AnyRandomNumberGenerator(base: random))
        self.objects = ObjectStore(folder: folder)
        self.wallClock = wallClock
        self.logger = logger
    }

    /// Now, on the emulator's clock.
    var now: Date { state.clock.now(wall: wallClock()) }

    /// Applies `change` to the state and saves it; a failed save leaves the in-memory state changed but
    /// reports the error (the next successful save catches up).
    func update<T>(_ change: (inout EmulatorState, inout CredentialFactory<AnyRandomNumberGenerator>, Date) throws -> T)
        throws -> T
    {
        let now = self.now
        let result = try change(&state, &factory, now)
        try folder?.save(state)
        return result
    }

    func requestID() -> String { factory.requestID() }

    // MARK: Clock and faults

    func advanceClock(by seconds: TimeInterval) throws(EmulatorError) {
        state.clock.advance(by: seconds)
        try folder?.save(state)
    }

    func setClock(to instant: Date) throws(EmulatorError) {
        state.clock.set(to: instant, wall: wallClock())
        try folder?.save(state)
    }

    func setFaults(_ plan: FaultPlan) { faults = plan }

    func decideFault(for service: FaultPlan.Target) -> FaultDecision {
        faults.decide(for: service, using: &factory.generator)
    }
}
