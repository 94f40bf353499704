import DevPayCredentialStore
import DevPayEmulator
import DevPayEmulatorTesting
import DevPayHTTP
import DevPayLicenseService
import DevPayKit
import Foundation
import NIOConcurrencyHelpers
import Testing

@Suite("The quick start as a user runs it")
struct QuickStartObservationTests {
    @Test("its observer sees unactivated → activating → pending → subscribed, and the object is in the emulator")
    func observedStates() async throws {
        let emulator = try await EmulatorServer.start()
        let sale = try await emulator.sell(scenario: .subscribed)
        let clients = try sale.clients
        let transport = CurlHTTPClient(configuration: clients.transport)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        let seen = NIOLockedValueBox<[ActivationState]>([])
        let bytes = try await quickStart(
            productToken: try ProductToken(sale.productToken), activationKey: sale.activationKey,
            storeLocation: CredentialStoreLocation(path: folder.path),
            licenseService: clients.licenseService, s3Endpoint: clients.s3, transport: transport,
            show: { state in seen.withLockedValue { $0.append(state) } })
        #expect(bytes == Array("hi".utf8))
        let names = seen.withLockedValue { $0.map(\.name) }
        // The stream starts with the current state and may merge passing states; these four always show.
        let expected: [ActivationState.Name] = [.unactivated, .activating, .activatedUnsubscribed, .subscribed]
        #expect(expected.allSatisfy(names.contains), "states seen: \(names)")
        #expect(names.last == .subscribed)

        await transport.shutdown()
        await emulator.stop()
        try FileManager.default.removeItem(at: folder)
    }
}
