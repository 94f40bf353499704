import Synchronization

/// The set the lifecycle signs with, shared by the effect performer (which writes it once a set is stored)
/// and the S3 gate (which reads it). A `Mutex` makes it `Sendable` without `@unchecked`.
final class CurrentCredentials: Sendable {
    private let value = Mutex<LifecycleCredentials?>(nil)

    var credentials: LifecycleCredentials? { value.withLock { $0 } }

    func replace(with credentials: LifecycleCredentials?) {
        value.withLock { $0 = credentials }
    }
}
