import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-user master key file, `master.key` in the store's root: magic `DPMK`, version 1, 32 random bytes.
///
/// Created atomically even when several processes start at once: each writes a complete key to its own
/// temporary file and `link`s it to `master.key`; `link` fails with `EEXIST` for every process but the first,
/// and they all then read the winner's key. A file is never visible half-written.
enum MasterKey {
    static let fileName = "master.key"
    static let magic: [UInt8] = Array("DPMK".utf8)
    static let version: UInt8 = 1
    static let fileCount = 4 + 1 + AESGCM.keyCount

    /// Reads the master key, creating it if absent. A corrupt key file is moved to `quarantine/` and replaced:
    /// records sealed under it are lost anyway and will read as unreadable, so the lifecycle reactivates.
    static func loadOrCreate(root: String, logger: Logger) throws(CredentialStoreError) -> SecretBytes {
        let path = root + "/" + fileName
        for _ in 0..<4 {
            if var bytes = try POSIX.readFile(path, limit: fileCount) {
                defer { bytes.wipe() }
                if let key = parse(bytes) { return key }
                try quarantineCorruptKey(root: root, path: path, logger: logger)
            } else {
                try create(root: root, path: path, logger: logger)
            }
        }
        throw .untrustedPath(path)
    }

    private static func parse(_ bytes: [UInt8]) -> SecretBytes? {
        guard bytes.count == fileCount, Array(bytes[0..<4]) == magic, bytes[4] == version else { return nil }
        return SecretBytes(copying: bytes[5...])
    }

    private static func create(root: String, path: String, logger: Logger) throws(CredentialStoreError) {
        let temporary = path + ".tmp-\(getpid())-" + hexString(try SecureRandom.bytes(8))
        var contents = magic + [version] + (try SecureRandom.bytes(AESGCM.keyCount))
        defer { contents.wipe() }
        let descriptor = try POSIX.createExclusive(temporary)
        do {
            defer { close(descriptor) }
            try POSIX.writeAll(descriptor, contents, path: temporary)
            try POSIX.sync(descriptor, path: temporary)
        } catch {
            try? POSIX.remove(temporary)
            throw error
        }
        let linked = link(temporary, path) == 0
        let linkError = errno
        try POSIX.remove(temporary)
        if !linked && linkError != EEXIST {
            throw .system(call: "link", path: path, errno: linkError)
        }
        try POSIX.syncFolder(root)
        if linked { logger.notice("created credential store master key", metadata: ["path": "\(path)"]) }
    }

    /// Under a lock so two processes that both see the corrupt file do not quarantine each other's new key.
    private static func quarantineCorruptKey(
        root: String, path: String, logger: Logger
    ) throws(CredentialStoreError) {
        let lock = try FileLock.acquireExclusive(path: path + ".lock")
        defer { lock.release() }
        if var bytes = try POSIX.readFile(path, limit: fileCount) {
            defer { bytes.wipe() }
            guard parse(bytes) == nil else { return }
            let folder = root + "/quarantine"
            try POSIX.ensurePrivateFolder(folder)
            let destination = folder + "/master.key.\(Quarantine.uniqueSuffix())"
            try POSIX.move(path, to: destination)
            try POSIX.syncFolder(root)
            logger.error(
                "credential store master key was corrupt; moved aside, stored credentials must be reactivated",
                metadata: ["quarantine": "\(destination)"])
        }
    }
}

extension Array where Element == UInt8 {
    /// Overwrites the array's storage (key material) before it is released.
    mutating func wipe() {
        withUnsafeMutableBytes { SecretBytes.wipe($0) }
    }
}
