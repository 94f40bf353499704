#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, throwing wrappers over the system calls the store needs. Blocking: call them off the cooperative
/// pool (see ``Offload``).
enum POSIX {
    static let ownerOnlyFile: mode_t = 0o600
    static let ownerOnlyFolder: mode_t = 0o700

    static func failure(_ call: String, _ path: String) -> CredentialStoreError {
        .system(call: call, path: path, errno: errno)
    }

    /// Opens without following a final symlink; `nil` when the file does not exist.
    static func openExisting(_ path: String, flags: Int32 = O_RDONLY) throws(CredentialStoreError) -> Int32? {
        let descriptor = retryingOnInterrupt { open(path, flags | O_CLOEXEC | O_NOFOLLOW) }
        if descriptor >= 0 { return descriptor }
        if errno == ENOENT { return nil }
        throw failure("open", path)
    }

    /// Creates a new file (never reuses one) readable and writable by the owner only.
    static func createExclusive(_ path: String) throws(CredentialStoreError) -> Int32 {
        let descriptor = retryingOnInterrupt {
            open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, ownerOnlyFile)
        }
        guard descriptor >= 0 else { throw failure("open(O_EXCL)", path) }
        // The umask may have removed bits we need; set the mode exactly.
        guard fchmod(descriptor, ownerOnlyFile) == 0 else {
            let error = failure("fchmod", path)
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Opens (creating if needed) a lock file, owner-only.
    static func openLockFile(_ path: String) throws(CredentialStoreError) -> Int32 {
        let descriptor = retryingOnInterrupt { open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, ownerOnlyFile) }
        guard descriptor >= 0 else { throw failure("open(lock)", path) }
        return descriptor
    }

    /// Reads a whole regular file owned by this user, up to `limit + 1` bytes (so an oversized file is seen as
    /// such without reading it all). Returns `nil` when the file does not exist.
    ///
    /// The buffers are sized up front so they never reallocate (a reallocation would leave an unwiped copy of
    /// key bytes behind), and the read chunk is wiped before it is released.
    ///
    /// Opened with `O_NONBLOCK` so a FIFO or device planted at `path` cannot hang the open; the descriptor is
    /// then refused unless it is a regular file, before anything is read.
    static func readFile(_ path: String, limit: Int) throws(CredentialStoreError) -> [UInt8]? {
        guard let descriptor = try openExisting(path, flags: O_RDONLY | O_NONBLOCK) else { return nil }
        defer { close(descriptor) }
        try requireOwnedRegularFile(descriptor, path)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(limit + 1)
        var chunk = [UInt8](repeating: 0, count: min(4096, limit + 1))
        defer { chunk.wipe() }
        while bytes.count <= limit {
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let count = retryingOnInterrupt { read(descriptor, &chunk, wanted) }
            if count < 0 { throw failure("read", path) }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(CredentialStoreError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                retryingOnInterrupt { write(descriptor, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            if count < 0 { throw failure("write", path) }
            offset += count
        }
    }

    static func sync(_ descriptor: Int32, path: String) throws(CredentialStoreError) {
        guard retryingOnInterrupt({ fsync(descriptor) }) == 0 else { throw failure("fsync", path) }
    }

    /// Makes a rename, link or unlink in `folder` durable.
    static func syncFolder(_ folder: String) throws(CredentialStoreError) {
        let descriptor = retryingOnInterrupt { open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw failure("open(folder)", folder) }
        defer { close(descriptor) }
        try sync(descriptor, path: folder)
    }

    /// Atomically replaces `destination` with `source` (same folder, so the same file system).
    static func move(_ source: String, to destination: String) throws(CredentialStoreError) {
        guard rename(source, destination) == 0 else { throw failure("rename", destination) }
    }

    /// Removes a file; a file that is already gone is fine.
    static func remove(_ path: String) throws(CredentialStoreError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("unlink", path) }
    }

    /// Creates `path` (and missing parents) as owner-only folders; an existing `path` must be a real folder
    /// owned by this user, and is tightened to 0700 if it is wider.
    static func ensurePrivateFolder(_ path: String) throws(CredentialStoreError) {
        if mkdir(path, ownerOnlyFolder) != 0 {
            switch errno {
            case EEXIST:
                break
            case ENOENT:
                let parent = parentFolder(of: path)
                guard parent != path else { throw failure("mkdir", path) }
                try ensureFolderExists(parent)
                guard mkdir(path, ownerOnlyFolder) == 0 || errno == EEXIST else { throw failure("mkdir", path) }
            default:
                throw failure("mkdir", path)
            }
        }
        var status = stat()
        guard lstat(path, &status) == 0 else { throw failure("lstat", path) }
        guard status.st_mode & S_IFMT == S_IFDIR, status.st_uid == geteuid() else { throw .untrustedPath(path) }
        if status.st_mode & 0o777 != ownerOnlyFolder {
            guard chmod(path, ownerOnlyFolder) == 0 else { throw failure("chmod", path) }
        }
    }

    /// Ancestors of the store (for example `~/.local/share`) are created owner-only but never re-moded.
    private static func ensureFolderExists(_ path: String) throws(CredentialStoreError) {
        if mkdir(path, ownerOnlyFolder) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw failure("mkdir", path) }
        let parent = parentFolder(of: path)
        guard parent != path else { throw failure("mkdir", path) }
        try ensureFolderExists(parent)
        guard mkdir(path, ownerOnlyFolder) == 0 || errno == EEXIST else { throw failure("mkdir", path) }
    }

    static func requireOwnedRegularFile(_ descriptor: Int32, _ path: String) throws(CredentialStoreError) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("fstat", path) }
        guard status.st_mode & S_IFMT == S_IFREG, status.st_uid == geteuid() else { throw .untrustedPath(path) }
        if status.st_mode & 0o777 != ownerOnlyFile {
            guard fchmod(descriptor, ownerOnlyFile) == 0 else { throw failure("fchmod", path) }
        }
    }

    /// Names of the entries in `folder` (without `.` and `..`); empty when the folder does not exist.
    static func entries(of folder: String) throws(CredentialStoreError) -> [String] {
        guard let stream = opendir(folder) else {
            if errno == ENOENT { return [] }
            throw failure("opendir", folder)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func retryingOnInterrupt<Result: BinaryInteger>(_ call: () -> Result) -> Result {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}
