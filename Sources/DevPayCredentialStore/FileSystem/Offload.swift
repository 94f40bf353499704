import Foundation

/// Runs blocking file work (lock waits, `fsync`) on a thread of its own, never on Swift's cooperative pool.
///
/// A `flock` wait can last as long as another process holds the lock (for example during a License Service
/// call), and `fsync` can take tens of milliseconds on a busy disk; on a 2-core machine the cooperative pool
/// has two threads, so blocking one of them would stall unrelated tasks. Store operations are rare (launch,
/// reactivation), so the cost of one short-lived thread per operation (~tens of µs) is irrelevant.
///
/// The work itself is not interruptible: a task cancelled while its thread waits for a lock resumes once the
/// lock is granted, and the store then checks cancellation before doing anything else.
enum Offload {
    static func run<Value: Sendable>(
        _ work: @escaping @Sendable () throws(CredentialStoreError) -> Value
    ) async throws(CredentialStoreError) -> Value {
        let result: Result<Value, CredentialStoreError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(CredentialStoreError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "devpay-credential-store-io"
            thread.start()
        }
        return try result.get()
    }
}
