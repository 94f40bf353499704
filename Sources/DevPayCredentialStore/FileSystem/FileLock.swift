#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a lock file, shared by every process of this user and every task of this one.
///
/// `flock` locks belong to the open file description, not to a thread, so a lock taken on an ``Offload``
/// thread stays held across `await`s (single-flight reactivation holds it during the activation call) and is
/// released by ``release()`` or, if the process dies, by the kernel. Each acquisition opens the file anew, so
/// two tasks of one process exclude each other too. Lock files are never deleted: deleting one would let a
/// late opener lock an orphaned inode while another process locks the new file.
struct FileLock: Sendable {
    private let descriptor: Int32

    /// Blocks until the lock is held. Call it from an ``Offload`` thread.
    static func acquireExclusive(path: String) throws(CredentialStoreError) -> FileLock {
        let descriptor = try POSIX.openLockFile(path)
        guard POSIX.retryingOnInterrupt({ flock(descriptor, LOCK_EX) }) == 0 else {
            let error = POSIX.failure("flock", path)
            close(descriptor)
            throw error
        }
        return FileLock(descriptor: descriptor)
    }

    /// Releases the lock (closing the descriptor releases it).
    func release() {
        close(descriptor)
    }
}
