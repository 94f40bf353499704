import Foundation

/// Where a persistent emulator keeps its state: `state.json` and `objects/`, folder 0700 and files 0600,
/// because the state holds customers' secret keys.
struct StateFolder: Sendable {
    let root: URL
    var stateFile: URL { root.appendingPathComponent("state.json") }
    var objectsFolder: URL { root.appendingPathComponent("objects", isDirectory: true) }

    init(root: URL) throws(EmulatorError) {
        self.root = root
        do {
            for folder in [root, root.appendingPathComponent("objects", isDirectory: true)] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
                try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
            }
        } catch {
            throw .stateStorage(path: root.path, reason: "cannot create: \(error.localizedDescription)")
        }
    }

    /// The saved state, or `nil` for a new folder.
    func load() throws(EmulatorError) -> EmulatorState? {
        guard FileManager.default.fileExists(atPath: stateFile.path) else { return nil }
        do {
            return try JSONDecoder().decode(EmulatorState.self, from: Data(contentsOf: stateFile))
        } catch {
            throw .stateStorage(path: stateFile.path, reason: "unreadable state: \(error)")
        }
    }

    func save(_ state: EmulatorState) throws(EmulatorError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try writePrivately(encoder.encode(state), to: stateFile)
        } catch let error as EmulatorError {
            throw error
        } catch {
            throw .stateStorage(path: stateFile.path, reason: "cannot encode state: \(error)")
        }
    }

    /// Writes to a 0600 temporary file beside `destination`, then renames it over: a crash leaves the old
    /// file or the new one, never half of one.
    func writePrivately(_ data: Data, to destination: URL) throws(EmulatorError) {
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data,
                                             attributes: [.posixPermissions: 0o600]) else {
            throw .stateStorage(path: temporary.path, reason: "cannot write")
        }
        guard rename(temporary.path, destination.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw .stateStorage(path: destination.path, reason: "cannot replace (errno \(errno))")
        }
    }
}
