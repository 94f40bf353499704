#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `withCheckedThrowingContinuation` for a continuation that the libcurl thread resumes, with the hand-off made
/// visible to ThreadSanitizer.
///
/// Swift's runtime tells TSan about a resume (a release on the task), but when the resume comes before the task
/// reaches its `await` (the curl thread answered while `body` was still running) the task carries on without the
/// matching acquire, so TSan reports every value that crossed, such as the response head, as a data race. The
/// ordering itself is sound (the runtime's atomics provide it); only the annotation is missing. This adds it after
/// the `await`, whether the continuation returned or threw. Outside a TSan build it costs one optional check.
/// Details and a standalone reproduction: docs/reliability.md, "Sanitizers".
func withCheckedCurlThreadContinuation<T>(
    isolation: isolated (any Actor)? = #isolation,
    function: String = #function,
    _ body: (CheckedContinuation<T, any Error>) -> Void
) async throws -> sending T {
    defer { ThreadSanitizerHooks.acquireCurrentTask() }
    return try await withCheckedThrowingContinuation(isolation: isolation, function: function, body)
}

/// ``withCheckedCurlThreadContinuation(isolation:function:_:)`` for an `UnsafeContinuation`.
func withUnsafeCurlThreadContinuation<T>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (UnsafeContinuation<T, any Error>) -> Void
) async throws -> sending T {
    defer { ThreadSanitizerHooks.acquireCurrentTask() }
    return try await withUnsafeThrowingContinuation(isolation: isolation, body)
}

enum ThreadSanitizerHooks {
    private typealias Hook = @convention(c) (UnsafeMutableRawPointer?) -> Void

    /// `__tsan_acquire` when the TSan runtime is linked in (looked up the way Swift's runtime looks up its own
    /// hooks), else nil.
    private static let acquire: Hook? = dlsym(searchEverywhere, "__tsan_acquire").map { unsafeBitCast($0, to: Hook.self) }

    /// `RTLD_DEFAULT`, which Swift does not import: null on Linux, -2 on Apple platforms.
    private static var searchEverywhere: UnsafeMutableRawPointer? {
        #if canImport(Darwin)
        UnsafeMutableRawPointer(bitPattern: -2)
        #else
        nil
        #endif
    }

    /// Acquires what the runtime released when it resumed the current task (its release uses the task's address).
    static func acquireCurrentTask() {
        guard let acquire else { return }
        withUnsafeCurrentTask { task in
            guard let task else { return }
            acquire(unsafeBitCast(task, to: UnsafeMutableRawPointer.self))
        }
    }
}
