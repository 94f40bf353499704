import NIOConcurrencyHelpers

/// The set the lifecycle signs with, shared by the effect performer (which writes it once a set is stored)
/// and the S3 gate (which reads it). A lock makes it `Sendable` without `@unchecked`.
final class CurrentCredentials: Sendable {
    private let value = NIOLockedValueBox<LifecycleCredentials?>(nil)

    var credentials: LifecycleCredentials? { value.withLockedValue { $0 } }

    func replace(with credentials: LifecycleCredentials?) {
        value.withLockedValue { $0 = credentials }
    }
}
