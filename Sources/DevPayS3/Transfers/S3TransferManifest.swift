import DevPaySigning
import Foundation

/// What an interrupted upload needs to continue: which S3 upload holds its parts, and which file, as it was
/// then, they came from. The parts themselves are not recorded: S3's `ListParts` is the truth.
struct S3UploadManifest: Codable, Sendable, Hashable {
    var bucket: String
    var key: String
    var filePath: String
    var fileSize: Int64
    /// The file's modification time (nanoseconds since 1970) when the upload started: a later change restarts.
    var fileModified: Int64
    var partSize: Int64
    var uploadID: String
}

/// What an interrupted download needs to continue: the object as it was (a changed entity tag restarts), the
/// temporary file, and the ranges already written, each with its MD5 (to check the whole at the end).
struct S3DownloadManifest: Codable, Sendable, Hashable {
    var bucket: String
    var key: String
    var eTag: String
    var size: Int64
    var rangeSize: Int64
    var temporaryPath: String
    /// Range index (0-based) → hex MD5 of its bytes, for ranges written and synced.
    var completedRanges: [Int: String]
}

/// Small manifests in one private folder (0700, files 0600), one per transfer, named by a hash of what the
/// transfer is (kind, bucket, key, local path), so running the same transfer again finds its manifest.
///
/// Writes are crash-safe: a new manifest goes to a temporary file, is synced, then renamed over the old one,
/// so a reader sees the old or the new manifest, never a torn one; an unreadable manifest is treated as absent.
struct S3TransferManifestStore: Sendable {
    /// The folder.
    let folder: String

    /// The default folder: `$XDG_STATE_HOME/devpay/transfers`, else `~/.local/state/devpay/transfers`.
    static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return base + "/devpay/transfers"
    }

    func name(kind: String, bucket: String, key: String, localPath: String) -> String {
        let absolute = localPath.hasPrefix("/") ? localPath : FileManager.default.currentDirectoryPath + "/" + localPath
        return kind + "-" + SHA256.hexDigest(Array("\(kind)\u{0}\(bucket)\u{0}\(key)\u{0}\(absolute)".utf8)).prefix(32)
    }

    func load<Manifest: Decodable>(_ type: Manifest.Type, name: String) -> Manifest? {
        guard let data = FileManager.default.contents(atPath: path(name)) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }

    func save(_ manifest: some Encodable, name: String) throws {
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = try JSONEncoder().encode(manifest)
        let final = path(name)
        let temporary = final + ".new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw S3ClientError.file(path: temporary, errno: errno) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == data.count, synced, rename(temporary, final) == 0 else {
            let failure = errno
            unlink(temporary)
            throw S3ClientError.file(path: final, errno: failure)
        }
    }

    func remove(name: String) {
        unlink(path(name))
    }

    /// Every upload manifest in the folder (for cleaning up stale uploads).
    func uploadManifests() -> [(name: String, manifest: S3UploadManifest)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("upload-") && !$0.hasSuffix(".new") }.compactMap { name in
            load(S3UploadManifest.self, name: name).map { (name, $0) }
        }
    }

    private func path(_ name: String) -> String { folder + "/" + name }
}
