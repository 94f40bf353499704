#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A download's destination: written to a temporary file beside the final path (mode 0600), renamed into place
/// only when the object is complete, so a reader never sees half an object under the final name.
///
/// Ranges may arrive out of order (``write(_:at:)``); a resumed download reopens the temporary file an earlier
/// run left (``reopen(temporaryPath:finalPath:)``).
final class S3DownloadFile: Sendable {
    let finalPath: String
    let temporaryPath: String
    /// Owned by this object; closed once, by ``commit()``, ``discard()`` or ``close()`` (the caller's last use).
    private let descriptor: Int32

    /// Creates a new temporary file beside `finalPath`.
    convenience init(finalPath: String) throws(S3ClientError) {
        var generator = SystemRandomNumberGenerator()
        try self.init(finalPath: finalPath, using: &generator)
    }

    /// Creates a new temporary file beside `finalPath`, its name made unguessable with `generator`.
    init(finalPath: String, using generator: inout some RandomNumberGenerator) throws(S3ClientError) {
        self.finalPath = finalPath
        (temporaryPath, descriptor) = try Self.createTemporary(beside: finalPath, using: &generator)
    }

    private init(finalPath: String, temporaryPath: String, descriptor: Int32) {
        self.finalPath = finalPath
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
    }

    /// The temporary file an interrupted download left, if it is still there, a regular file of ours (never
    /// through a symbolic link). Returns its size with it.
    static func reopen(temporaryPath: String, finalPath: String) -> (S3DownloadFile, size: Int64)? {
        let descriptor = open(temporaryPath, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_uid == geteuid() else {
            Glibc.close(descriptor)
            return nil
        }
        return (S3DownloadFile(finalPath: finalPath, temporaryPath: temporaryPath, descriptor: descriptor), Int64(status.st_size))
    }

    /// The one place a temporary download file is made: a random name beside the destination, created
    /// exclusively (never an existing file, never through a symbolic link), mode 0600 whatever the umask.
    private static func createTemporary(
        beside finalPath: String, using generator: inout some RandomNumberGenerator
    ) throws(S3ClientError) -> (path: String, descriptor: Int32) {
        let suffix = String(UInt64.random(in: .min ... .max, using: &generator), radix: 36)
        let path = finalPath + ".devpay-partial-" + suffix
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .file(path: path, errno: errno) }
        guard fchmod(descriptor, 0o600) == 0 else {
            let failure = errno
            Glibc.close(descriptor)
            unlink(path)
            throw .file(path: path, errno: failure)
        }
        return (path, descriptor)
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

    /// Syncs, closes and renames the file into place.
    func commit() throws(S3ClientError) {
        try sync()
        Glibc.close(descriptor)
        guard rename(temporaryPath, finalPath) == 0 else { throw .file(path: finalPath, errno: errno) }
    }

    /// Closes and deletes the temporary file.
    func discard() {
        Glibc.close(descriptor)
        unlink(temporaryPath)
    }

    /// Closes the file and keeps it, for a later run to resume.
    func close() {
        Glibc.close(descriptor)
    }
}
