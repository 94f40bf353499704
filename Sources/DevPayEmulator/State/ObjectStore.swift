import Foundation
import NIOPosix

/// Object bodies: on disk under the state folder (one file per object, named by the hex of bucket and key
/// so any key is a safe file name), or in memory for an ephemeral emulator.
///
/// File reads and writes run on NIO's blocking-I/O thread pool, never on Swift's cooperative pool: a body is
/// first staged in a temporary file, then committed under its key by a rename (one quick system call, done
/// inside the engine actor so metadata and file change together).
struct ObjectStore: Sendable {
    /// A body written but not yet visible under its key.
    enum Staged: Sendable {
        case file(URL)
        case memory(Data)
    }

    /// Where a committed body is.
    enum Location: Sendable {
        case file(URL)
        case memory(Data)
    }

    let folder: StateFolder?
    private var memory: [String: Data] = [:]

    init(folder: StateFolder?) { self.folder = folder }

    /// Writes `body` to a private temporary file in the objects folder (off the cooperative pool), or keeps
    /// it in memory for an in-memory emulator.
    static func stage(_ body: [UInt8], folder: StateFolder?) async throws(EmulatorError) -> Staged {
        guard let folder else { return .memory(Data(body)) }
        let temporary = folder.objectsFolder.appendingPathComponent(".staged-\(UUID().uuidString)")
        do {
            try await NIOThreadPool.singleton.runIfActive {
                guard FileManager.default.createFile(atPath: temporary.path, contents: Data(body),
                                                     attributes: [.posixPermissions: 0o600]) else {
                    throw EmulatorError.stateStorage(path: temporary.path, reason: "cannot write an object body")
                }
            }
        } catch let error as EmulatorError {
            throw error
        } catch {
            throw .stateStorage(path: temporary.path, reason: "\(error)")
        }
        return .file(temporary)
    }

    /// Makes a staged body the object `bucket`/`key`, replacing any earlier one.
    mutating func commit(_ staged: Staged, bucket: String, key: String) throws(EmulatorError) {
        switch staged {
        case .memory(let data):
            memory[Self.fileName(bucket: bucket, key: key)] = data
        case .file(let temporary):
            let destination = url(bucket: bucket, key: key)!
            guard rename(temporary.path, destination.path) == 0 else {
                throw .stateStorage(path: destination.path, reason: "cannot commit an object body (errno \(errno))")
            }
        }
    }

    /// Drops a staged body that will not be committed.
    static func discard(_ staged: Staged) {
        if case .file(let temporary) = staged { unlink(temporary.path) }
    }

    func location(bucket: String, key: String) -> Location? {
        if let url = url(bucket: bucket, key: key) { return .file(url) }
        return memory[Self.fileName(bucket: bucket, key: key)].map { .memory($0) }
    }

    /// The body at `location`, read off the cooperative pool; `nil` when it vanished meanwhile.
    static func read(_ location: Location) async -> Data? {
        switch location {
        case .memory(let data): data
        case .file(let url): try? await NIOThreadPool.singleton.runIfActive { try Data(contentsOf: url) }
        }
    }

    mutating func delete(bucket: String, key: String) {
        if let url = url(bucket: bucket, key: key) {
            unlink(url.path)
        } else {
            memory[Self.fileName(bucket: bucket, key: key)] = nil
        }
    }

    private static func fileName(bucket: String, key: String) -> String {
        (Array(bucket.utf8) + [0x2F] + Array(key.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private func url(bucket: String, key: String) -> URL? {
        folder?.objectsFolder.appendingPathComponent(Self.fileName(bucket: bucket, key: key))
    }
}
