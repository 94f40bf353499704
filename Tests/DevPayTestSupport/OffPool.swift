import Foundation

/// Runs blocking test plumbing (spawning a process, reading its greeting, waiting for it to exit) on a thread of
/// its own and resumes the caller when it is done, so parallel tests never hold Swift's few cooperative threads.
public func offPool<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}
