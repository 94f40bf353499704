import DevPayEmulator
import Foundation
import Testing

@Suite("emulator state folder")
struct PersistenceTests {
    @Test("products, purchases, keys and the clock survive a restart; the folder is private")
    func survivesRestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emu-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await EmulatorFixture.start(stateFolder: folder)
        let (product, key) = try await first.purchased()
        try await first.server.advanceClock(by: 60)
        await first.server.stop()

        let second = try await EmulatorFixture.start(seed: 2, stateFolder: folder)
        defer { Task { await second.server.stop() } }
        #expect(await second.server.now() == EmulatorFixture.epoch.addingTimeInterval(60))
        let credentials = try await second.activate(product, key)
        #expect(credentials.userToken.hasPrefix("{UserToken}"))

        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("state.json").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folderAttributes = try FileManager.default.attributesOfItem(atPath: folder.path)
        #expect((folderAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }
}
