#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// A download's destination: written to a temporary file beside the final path (mode 0600), renamed into place
/// only when the object is complete, so a reader never sees half an object under the final name.
///
/// Ranges may arrive out of order (``write(_:at:)``); a resumed download reopens the temporary file an earlier
/// run left (``reopen(temporaryPath:finalPath:)``).
///
/// The destination folder may be writable by others (`/tmp`, a shared folder), so every step is hardened against
/// planted names (docs/security.md): the folder is opened once and the temporary file is created, reopened,
/// renamed and deleted relative to that descriptor, so they stay in the folder that was opened even if its path
/// is swapped meanwhile; the temporary name is unguessable; it is created with `O_CREAT|O_EXCL|O_NOFOLLOW`, so a
/// symlink or a file already there is never opened, then `fchmod`ed to 0600 so the umask cannot widen it.
final class S3DownloadFile: Sendable {
    let finalPath: String
    let temporaryPath: String
    /// The destination's folder, opened once; every later step is relative to it.
    private let folder: Int32
    private let finalName: String
    private let temporaryName: String
    /// Owned by this object; closed once, by ``commit()``, ``discard()`` or ``close()`` (the caller's last use).
    private let descriptor: Int32
    /// Whether `descriptor` and `folder` are still open.
    private let isOpen = NIOLockedValueBox(true)

    /// Creates a new temporary file beside `finalPath`.
    convenience init(finalPath: String) throws(S3ClientError) {
        var generator = SystemRandomNumberGenerator()
        try self.init(finalPath: finalPath, using: &generator)
    }

    /// Creates a new temporary file beside `finalPath`, its name made unguessable with `generator`.
    init(finalPath: String, using generator: inout some RandomNumberGenerator) throws(S3ClientError) {
        let (folderPath, finalName) = try Self.split(finalPath)
        let suffix = String(UInt64.random(in: .min ... .max, using: &generator), radix: 36)
        let temporaryName = finalName + ".devpay-partial-" + suffix
        let folder = try Self.openFolder(folderPath)
        let descriptor = openat(folder, temporaryName, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0, fchmod(descriptor, 0o600) == 0 else {
            let failure = errno
            if descriptor >= 0 {
                Glibc.close(descriptor)
                unlinkat(folder, temporaryName, 0)
            }
            Glibc.close(folder)
            throw .file(path: finalPath + ".devpay-partial-" + suffix, errno: failure)
        }
        self.finalPath = finalPath
        self.temporaryPath = finalPath + ".devpay-partial-" + suffix
        self.folder = folder
        self.finalName = finalName
        self.temporaryName = temporaryName
        self.descriptor = descriptor
    }

    private init(finalPath: String, temporaryPath: String, folder: Int32, finalName: String, temporaryName: String,
                 descriptor: Int32) {
        self.finalPath = finalPath
        self.temporaryPath = temporaryPath
        self.folder = folder
        self.finalName = finalName
        self.temporaryName = temporaryName
        self.descriptor = descriptor
    }

    /// The temporary file an interrupted download left, if it is still there beside `finalPath`, a regular file
    /// of ours (never through a symbolic link). Returns its size with it.
    static func reopen(temporaryPath: String, finalPath: String) -> (S3DownloadFile, size: Int64)? {
        guard let (folderPath, finalName) = try? split(finalPath), let (temporaryFolder, temporaryName) = try? split(temporaryPath),
              temporaryFolder == folderPath, let folder = try? openFolder(folderPath) else { return nil }
        let descriptor = openat(folder, temporaryName, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        var status = stat()
        guard descriptor >= 0, fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
              status.st_uid == geteuid() else {
            if descriptor >= 0 { Glibc.close(descriptor) }
            Glibc.close(folder)
            return nil
        }
        let file = S3DownloadFile(
            finalPath: finalPath, temporaryPath: temporaryPath, folder: folder, finalName: finalName,
            temporaryName: temporaryName, descriptor: descriptor)
        return (file, Int64(status.st_size))
    }

    /// A path's folder (`.` when it names none) and last component.
    private static func split(_ path: String) throws(S3ClientError) -> (folder: String, name: String) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw .file(path: path, errno: EISDIR) }
        return (folder, name)
    }

    private static func openFolder(_ path: String) throws(S3ClientError) -> Int32 {
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw .file(path: path, errno: errno) }
        return folder
    }

    /// Appends `bytes` at the file's current end (sequential downloads).
    func write(_ bytes: [UInt8]) throws(S3ClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .file(path: finalPath, errno: errno)
            }
            offset += written
        }
    }

    /// Writes `bytes` at `position` (ranges arriving in any order).
    func write(_ bytes: [UInt8], at position: Int64) throws(S3ClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                pwrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset, off_t(position) + off_t(offset))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .file(path: temporaryPath, errno: errno)
            }
            offset += written
        }
    }

    /// Sets the file's length (a resumed download cuts what follows its last complete byte).
    func truncate(to length: Int64) throws(S3ClientError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw .file(path: temporaryPath, errno: errno) }
    }

    /// Makes what was written durable, so a record saying so after it is true after a crash.
    func sync() throws(S3ClientError) {
        guard fsync(descriptor) == 0 else { throw .file(path: temporaryPath, errno: errno) }
    }

    /// Syncs the file and renames it into place, within the folder it was created in (a symlink at the final
    /// name is replaced, never followed), then closes it. On a failure the file stays open, for ``discard()``.
    func commit() throws(S3ClientError) {
        try sync()
        guard renameat(folder, temporaryName, folder, finalName) == 0 else { throw .file(path: finalPath, errno: errno) }
        closeOnce()
    }

    /// Closes and deletes the temporary file (nothing, once committed or closed).
    func discard() {
        guard isOpen.withLockedValue({ $0 }) else { return }
        unlinkat(folder, temporaryName, 0)
        closeOnce()
    }

    /// Closes the file and keeps it, for a later run to resume.
    func close() {
        closeOnce()
    }

    /// Closes both descriptors exactly once, whichever of commit, discard and close comes first or again: a
    /// second `close` of a number the system has since given to another file would close that file.
    private func closeOnce() {
        let wasOpen = isOpen.withLockedValue { open in
            defer { open = false }
            return open
        }
        guard wasOpen else { return }
        Glibc.close(descriptor)
        Glibc.close(folder)
    }
}
