import Foundation

/// Object bodies: on disk under the state folder (one file per object, named by the hex of bucket and key
/// so any key is a safe file name), or in memory for an ephemeral emulator.
struct ObjectStore: Sendable {
    private let folder: StateFolder?
    private var memory: [String: Data] = [:]

    init(folder: StateFolder?) { self.folder = folder }

    private static func fileName(bucket: String, key: String) -> String {
        (Array(bucket.utf8) + [0x2F] + Array(key.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private func url(bucket: String, key: String) -> URL? {
        folder?.objectsFolder.appendingPathComponent(Self.fileName(bucket: bucket, key: key))
    }

    mutating func put(_ data: Data, bucket: String, key: String) throws(EmulatorError) {
        if let folder, let url = url(bucket: bucket, key: key) {
            try folder.writePrivately(data, to: url)
        } else {
            memory[Self.fileName(bucket: bucket, key: key)] = data
        }
    }

    func get(bucket: String, key: String) -> Data? {
        if let url = url(bucket: bucket, key: key) { return try? Data(contentsOf: url) }
        return memory[Self.fileName(bucket: bucket, key: key)]
    }

    mutating func delete(bucket: String, key: String) {
        if let url = url(bucket: bucket, key: key) {
            try? FileManager.default.removeItem(at: url)
        } else {
            memory[Self.fileName(bucket: bucket, key: key)] = nil
        }
    }
}
