import DevPayEmulator
import DevPayHTTP
import DevPayTestSupport
import Foundation
import HTTPTypes
import Testing

/// `EmulatorServer.stop()` must not wait for what clients still hold: before the TLS close fix, one idle
/// keep-alive connection of a `CurlHTTPClient` held it for NIO's 5 s `close_notify` timeout.
@Suite("EmulatorServer.stop() is prompt whatever clients hold", .serialized)
struct EmulatorStopTests {
    @Test("an idle keep-alive connection of a live client does not hold stop()")
    func idleKeepAliveConnection() async throws {
        let emulator = try await EmulatorServer.start()
        let client = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let health = HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(emulator.port)", path: "/admin/health")
        let response = try await client.send(health, body: nil, options: .init())
        #expect(response.head.status == .ok)
        #expect(client.connectionsOpened == 1)   // the connection now idles in the client's cache

        let started = ContinuousClock.now
        await emulator.stop()
        let elapsed = ContinuousClock.now - started
        // Well under a second on a quiet machine (see docs/emulator.md); the bound leaves room for a loaded one
        // while still failing on the old 5 s wait.
        #expect(elapsed < .seconds(2), "stop() took \(elapsed)")
        await client.shutdown()
    }

    @Test("a request still running is cut off after the grace period")
    func requestInFlight() async throws {
        let emulator = try await EmulatorServer.start()
        await emulator.setFaults(FaultPlan(script: [.delay(milliseconds: 60_000)]))
        let client = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let slow = HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(emulator.port)", path: "/bucket")
        let pending = Task { try await client.send(slow, body: nil, options: .init()) }
        try await Task.sleep(for: .milliseconds(300))

        let started = ContinuousClock.now
        await emulator.stop()
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(3), "stop() took \(elapsed)")
        _ = await pending.result
        await client.shutdown()
    }
}
