#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A download's destination: written to a temporary file beside the final path (mode 0600), renamed into place
/// only when the object is complete, so a reader never sees half an object under the final name.
///
/// The destination folder may be writable by others (`/tmp`, a shared folder), so the temporary file is
/// hardened against planted names (docs/security.md): the folder is opened once and every later step is
/// relative to that descriptor, so the temporary file and the rename stay in the folder that was checked; the
/// temporary name carries 128 random bits, so it cannot be predicted; and it is created with
/// `O_CREAT|O_EXCL|O_NOFOLLOW`, so a symlink or a file already there is never opened, then `fchmod`ed to 0600 so
/// the umask cannot widen it.
final class S3DownloadFile {
    private let folder: Int32
    private let finalName: String
    private let finalPath: String
    private let temporaryName: String
    private var descriptor: Int32

    init(finalPath: String) throws(S3ClientError) {
        let slash = finalPath.lastIndex(of: "/")
        let folderPath = slash.map { $0 == finalPath.startIndex ? "/" : String(finalPath[..<$0]) } ?? "."
        let finalName = slash.map { String(finalPath[finalPath.index(after: $0)...]) } ?? finalPath
        guard !finalName.isEmpty else { throw .file(path: finalPath, errno: EISDIR) }
        let temporaryName = "." + finalName + ".devpay-partial-" + Self.randomSuffix()

        let folder = open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw .file(path: folderPath, errno: errno) }
        let descriptor = openat(folder, temporaryName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0, fchmod(descriptor, 0o600) == 0 else {
            let failure = errno
            if descriptor >= 0 {
                close(descriptor)
                unlinkat(folder, temporaryName, 0)
            }
            close(folder)
            throw .file(path: finalPath, errno: failure)
        }
        self.folder = folder
        self.finalName = finalName
        self.finalPath = finalPath
        self.temporaryName = temporaryName
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        close(folder)
    }

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

    func commit() throws(S3ClientError) {
        guard fsync(descriptor) == 0 else { throw .file(path: finalPath, errno: errno) }
        close(descriptor)
        descriptor = -1
        // Same folder descriptor on both sides: the object lands in the folder the file was created in, even if
        // the folder's path was swapped meanwhile; a symlink at the final name is replaced, never followed.
        guard renameat(folder, temporaryName, folder, finalName) == 0 else { throw .file(path: finalPath, errno: errno) }
    }

    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlinkat(folder, temporaryName, 0)
    }

    /// 128 bits from the system's CSPRNG (`getrandom`), deliberately not injectable: a predictable name is the
    /// very weakness this guards against, and no test needs to know the name.
    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        return String(high, radix: 16) + String(low, radix: 16)
    }
}
