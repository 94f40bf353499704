@testable import DevPayCredentialStore
import Foundation
import PropertyBased
import Testing

@Suite("credential store on disk")
struct CredentialStoreTests {
    @Test("a saved set loads back equal, with its dates and revision")
    func roundTripProperty() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let text = Gen.unicodeScalar(in: "\u{20}"..."\u{10FF}").map { Character($0) }.string(of: 1...400)
        await propertyCheck(
            count: 40, input: text, Gen.letterOrNumber.string(of: 1...40), text,
            Gen.int64(in: -10_000_000_000_000...10_000_000_000_000), Gen.int64(in: 0...4_000_000_000_000).optional
        ) { token, accessKeyID, secret, activatedAt, expiresAt in
            let set = try CredentialSet(
                userToken: token, accessKeyID: accessKeyID, secretAccessKey: secret,
                activatedAt: Date(unixMilliseconds: activatedAt),
                tokenExpiresAt: expiresAt.map { Date(unixMilliseconds: $0) })
            let saved = try await store.save(set)
            let loaded = try await store.load()
            #expect(loaded == .found(saved))
            #expect(loaded.stored?.credentials == set)
            #expect(loaded.stored?.credentials.userToken.revealed() == token)
        }
    }

    @Test("nothing stored reads as not stored, and creates nothing")
    func emptyStore() async throws {
        let folder = try TemporaryFolder()
        #expect(try await Fixtures.store(folder).load() == .missing(.notStored))
        #expect(!FileManager.default.fileExists(atPath: folder.storeLocation.path))
    }

    @Test("files are 0600 and folders 0700, even under a permissive umask")
    func permissions() async throws {
        let folder = try TemporaryFolder()
        let previous = umask(0)
        defer { umask(previous) }
        try await Fixtures.store(folder).save(Fixtures.credentials("1"))
        let root = folder.storeLocation.path
        let productFolder = root + "/products/" + Fixtures.product.storageName
        for path in [root, root + "/products", productFolder] {
            #expect(try permissionBits(path) == 0o700, "\(path)")
        }
        for path in [root + "/master.key", productFolder + "/default.record", productFolder + "/default.lock"] {
            #expect(try permissionBits(path) == 0o600, "\(path)")
        }
    }

    @Test("an existing store folder that is too open is tightened to 0700")
    func tightensFolder() async throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(
            atPath: folder.storeLocation.path, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
        try await Fixtures.store(folder).save(Fixtures.credentials("1"))
        #expect(try permissionBits(folder.storeLocation.path) == 0o700)
    }

    @Test("each save bumps the generation and replaces the set; delete leaves nothing")
    func generationsAndDelete() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let first = try await store.save(Fixtures.credentials("1"))
        let second = try await store.save(Fixtures.credentials("2"))
        #expect(first.revision.generation == 1)
        #expect(second.revision.generation == 2)
        #expect(first.revision != second.revision)
        #expect(try await store.load() == .found(second))
        try await store.delete()
        #expect(try await store.load() == .missing(.notStored))
        try await store.delete()
    }

    @Test("profiles of one product are separate")
    func profiles() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        let work = try ProfileName("work")
        try await store.save(Fixtures.credentials("home"))
        try await store.save(Fixtures.credentials("work"), profile: work)
        #expect(try await store.load().stored?.credentials == Fixtures.credentials("home"))
        #expect(try await store.load(profile: work).stored?.credentials == Fixtures.credentials("work"))
    }

    @Test("a record copied into another product's folder reads as wrong product and is quarantined")
    func crossProductCopy() async throws {
        let folder = try TemporaryFolder()
        try await Fixtures.store(folder).save(Fixtures.credentials("A"))
        let other = Fixtures.store(folder, product: Fixtures.otherProduct)
        try await other.save(Fixtures.credentials("B"))
        let copied = try fileBytes(Fixtures.recordPath(folder))
        try writeBytes(copied, to: Fixtures.recordPath(folder, product: Fixtures.otherProduct))

        guard case .missing(.unreadable(.wrongProductOrProfile, let quarantined)) = try await other.load() else {
            Issue.record("copied record was not refused")
            return
        }
        #expect(try fileBytes(quarantined) == copied)
        #expect(try await other.load() == .missing(.notStored))
        #expect(try await Fixtures.store(folder).load().stored?.credentials == Fixtures.credentials("A"))
    }

    @Test("a tampered record is quarantined byte for byte, and the next save starts afresh")
    func quarantine() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        try await store.save(Fixtures.credentials("1"))
        var bytes = try fileBytes(Fixtures.recordPath(folder))
        bytes[bytes.count - 1] ^= 0x80
        try writeBytes(bytes, to: Fixtures.recordPath(folder))

        guard case .missing(.unreadable(.authenticationFailed, let quarantined)) = try await store.load() else {
            Issue.record("tampered record was not refused")
            return
        }
        #expect(quarantined.hasPrefix(folder.storeLocation.path + "/products/"))
        #expect(quarantined.hasSuffix(".authentication-failed"))
        #expect(try fileBytes(quarantined) == bytes)
        #expect(try permissionBits(quarantined) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: Fixtures.recordPath(folder)))

        let fresh = try await store.save(Fixtures.credentials("2"))
        #expect(fresh.revision.generation == 1)
        #expect(try await store.load() == .found(fresh))
    }

    @Test("a record of an unknown format version reads as missing with the version, and is kept aside")
    func unknownVersion() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        try await store.save(Fixtures.credentials("1"))
        var bytes = try fileBytes(Fixtures.recordPath(folder))
        bytes[4] = 9
        try writeBytes(bytes, to: Fixtures.recordPath(folder))
        guard case .missing(.unreadable(.unknownVersion(9), let quarantined)) = try await store.load() else {
            Issue.record("unknown version was not reported")
            return
        }
        #expect(try fileBytes(quarantined) == bytes)
    }

    @Test("random bit flips in the file are detected through the whole store")
    func bitFlipsOnDisk() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        await propertyCheck(count: 30, input: Gen.int(in: 0..<Int.max)) { position in
            try await store.save(Fixtures.credentials("flip"))
            var bytes = try fileBytes(Fixtures.recordPath(folder))
            let bit = position % (bytes.count * 8)
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            try writeBytes(bytes, to: Fixtures.recordPath(folder))
            guard case .missing(.unreadable(_, let quarantined)) = try await store.load() else {
                Issue.record("flip of bit \(bit) not detected")
                return
            }
            #expect(try fileBytes(quarantined) == bytes)
        }
    }

    @Test("a leftover temporary file from a killed writer is removed by the next save")
    func staleTemporaryFile() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        try await store.save(Fixtures.credentials("1"))
        let stale = Fixtures.recordPath(folder) + ".tmp-1-00112233deadbeef"
        try writeBytes([1, 2, 3], to: stale)
        try await store.save(Fixtures.credentials("2"))
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    @Test("tasks racing to create the master key end up sharing one key")
    func masterKeyRace() async throws {
        let folder = try TemporaryFolder()
        let stores = (0..<12).map { index in
            Fixtures.store(folder, product: try! ProductKey(identifier: "product-\(index)"))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask { try await store.save(Fixtures.credentials("\(index)")) }
            }
            try await group.waitForAll()
        }
        for (index, store) in stores.enumerated() {
            #expect(try await store.load().stored?.credentials == Fixtures.credentials("\(index)"))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.storeLocation.path)
        #expect(leftovers.sorted() == ["master.key", "products"])
    }

    @Test("a corrupt master key is quarantined and replaced; records under it read as unreadable")
    func corruptMasterKey() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        try await store.save(Fixtures.credentials("1"))
        let keyPath = folder.storeLocation.path + "/master.key"
        try writeBytes(Array("garbage".utf8), to: keyPath)

        guard case .missing(.unreadable(.authenticationFailed, _)) = try await store.load() else {
            Issue.record("record under a lost master key was not refused")
            return
        }
        let quarantine = try FileManager.default.contentsOfDirectory(atPath: folder.storeLocation.path + "/quarantine")
        #expect(quarantine.count == 1)
        #expect(try fileBytes(keyPath).count == MasterKey.fileCount)
        try await store.save(Fixtures.credentials("2"))
        #expect(try await store.load().stored?.credentials == Fixtures.credentials("2"))
    }

    @Test("a symlink in place of the record is refused, not followed")
    func symlinkRefused() async throws {
        let folder = try TemporaryFolder()
        let store = Fixtures.store(folder)
        try await store.save(Fixtures.credentials("1"))
        try FileManager.default.removeItem(atPath: Fixtures.recordPath(folder))
        try FileManager.default.createSymbolicLink(
            atPath: Fixtures.recordPath(folder), withDestinationPath: "/etc/hostname")
        await #expect(throws: CredentialStoreError.self) { try await store.load() }
    }
}
