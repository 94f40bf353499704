import DevPayCredentialStore
import DevPayKit
import DevPayStateMachineTesting
import Foundation
import Testing

/// The lifecycle on the real encrypted store in a temporary folder: what one process stores, the next
/// restores (deadline included); a damaged record means reactivation.
@Suite("Lifecycle on the encrypted credential store")
struct EncryptedStoreLifecycleTests {
    @Test("a restart restores the stored set and its deadline; a damaged record needs reactivation")
    func restartAndCorruption() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "devpay-lifecycle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let wallClock: @Sendable () -> Date = { Fixtures.epoch.addingTimeInterval(clock.now.offset.seconds) }
        let store = EncryptedCredentialStore(
            store: CredentialStore(location: CredentialStoreLocation(path: folder.path),
                                   product: .product(Fixtures.productToken)),
            wallClock: wallClock)
        let service = FakeLicenseService()
        await service.setSubscribed(true)

        func launch() async -> DevPayLifecycle<ManualClock> {
            await DevPayLifecycle(configuration: LifecycleConfiguration(
                productToken: Fixtures.productToken, licenseService: service, store: store, clock: clock,
                wallClock: wallClock, tokenExpiration: .seconds(600)))
        }

        let first = await launch()
        await Waiter(lifecycle: first).waitFor(.unactivated)
        try await first.activate(key: Fixtures.key.value)
        await Waiter(lifecycle: first).waitFor(.subscribed)
        await first.shutDown()

        clock.advance(by: .seconds(100))
        let second = await launch()
        await Waiter(lifecycle: second).waitFor(.subscribed)
        #expect(try await second.withS3Credentials { $0.signing.accessKeyID } == "AKID1")
        // The deadline persisted with the set: 600 s after activation, 500 s after this launch.
        await clock.waitForSleeper(until: .init(offset: .seconds(600)))
        clock.advance(to: .init(offset: .seconds(600)))
        await Waiter(lifecycle: second).waitFor(.expiredNeedsReactivation(.tokenExpired))
        await second.shutDown()

        // Flip bytes in every record file: the store quarantines it and the lifecycle asks for a new key.
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true } ?? []
        #expect(!files.isEmpty)
        for file in files where !file.lastPathComponent.contains("master") && !file.lastPathComponent.contains("lock") {
            var bytes = try [UInt8](Data(contentsOf: file))
            guard bytes.count > 40 else { continue }
            bytes[bytes.count - 20] ^= 0xFF
            try Data(bytes).write(to: file)
        }
        let third = await launch()
        await Waiter(lifecycle: third).waitFor(.expiredNeedsReactivation(.credentialsMissing))
        #expect(try await third.reactivate(key: Fixtures.key.value) == .activatedUnsubscribed(checksLeft: 40))
        await third.shutDown()
    }

    @Test("two app instances reactivating one product call the License Service once; the other adopts the new set")
    func reactivationIsSingleFlightAcrossInstances() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "devpay-lifecycle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let service = FakeLicenseService()
        await service.setSubscribed(true)
        // Each instance opens the folder on its own, as a second process would.
        func launch() async -> DevPayLifecycle<ManualClock> {
            let store = EncryptedCredentialStore(
                store: CredentialStore(location: CredentialStoreLocation(path: folder.path),
                                       product: .product(Fixtures.productToken)))
            return await DevPayLifecycle(configuration: LifecycleConfiguration(
                productToken: Fixtures.productToken, licenseService: service, store: store, clock: clock))
        }
        func accessKeyID(_ lifecycle: DevPayLifecycle<ManualClock>) async throws -> String {
            await Waiter(lifecycle: lifecycle).waitFor(.subscribed)
            return try await lifecycle.withS3Credentials { $0.signing.accessKeyID }
        }

        let first = await launch()
        await Waiter(lifecycle: first).waitFor(.unactivated)
        try await first.activate(key: Fixtures.key.value)
        let second = await launch()
        #expect(try await accessKeyID(second) == "AKID1")

        // One after the other: the second finds the set already replaced and does not use its key.
        try await first.reactivate(key: Fixtures.otherKey.value)
        #expect(try await accessKeyID(first) == "AKID2")
        try await second.reactivate(key: Fixtures.otherKey.value)
        #expect(try await accessKeyID(second) == "AKID2")
        #expect(await service.count("activate") == 2)

        // At the same time: the store's lock lets one activate; the other waits and adopts.
        async let firstState = first.reactivate(key: Fixtures.key.value)
        async let secondState = second.reactivate(key: Fixtures.key.value)
        _ = try await (firstState, secondState)
        #expect(await service.count("activate") == 3)
        #expect(try await accessKeyID(first) == "AKID3")
        #expect(try await accessKeyID(second) == "AKID3")
        await first.shutDown()
        await second.shutDown()
    }
}
