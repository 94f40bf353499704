#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Moves unreadable files aside (never deletes them) so a user or support can inspect what went wrong.
enum Quarantine {
    /// `<unix seconds>.<pid>.<random>`: unique without coordination; the time is only for the reader's benefit.
    static func uniqueSuffix() -> String {
        let random = (try? SecureRandom.bytes(4)).map(hexString) ?? "0"
        return "\(time(nil)).\(getpid()).\(random)"
    }

    /// Moves `path` into `folder` (created owner-only) under a name that starts with `stem` and ends with the
    /// reason; returns the new path. Both folders are synced so the move survives a crash.
    static func move(
        _ path: String, into folder: String, stem: String, reason: UnreadableRecordReason
    ) throws(CredentialStoreError) -> String {
        try POSIX.ensurePrivateFolder(folder)
        let destination = folder + "/" + stem + "." + uniqueSuffix() + "." + reason.slug
        try POSIX.move(path, to: destination)
        try POSIX.syncFolder(folder)
        try POSIX.syncFolder(POSIX.parentFolder(of: path))
        return destination
    }
}
