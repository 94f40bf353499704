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
        // The same stop without any client first, under the same machine load: the yardstick. Before the fix
        // the idle connection added NIO's 5 s close_notify wait on top of it, by construction.
        let baseline = try await EmulatorServer.start()
        let baselineStop = await measureStop(baseline)

        let emulator = try await EmulatorServer.start()
        let client = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let health = HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(emulator.port)", path: "/admin/health")
        let response = try await client.send(health, body: nil, options: .init())
        #expect(response.head.status == .ok)
        #expect(client.connectionsOpened == 1)   // the connection now idles in the client's cache

        let idleStop = await measureStop(emulator)
        // Well under a second on a quiet machine (docs/emulator.md); relative to the yardstick so that a
        // loaded machine slowing both stops cannot fail it, while the old 5 s wait still does.
        #expect(idleStop < baselineStop + .milliseconds(2500), "stop() took \(idleStop), without clients \(baselineStop)")
        await client.shutdown()
    }

    private func measureStop(_ emulator: EmulatorServer) async -> Duration {
        let started = ContinuousClock.now
        await emulator.stop()
        return ContinuousClock.now - started
    }

    @Test("a request still running is cut off after the grace period")
    func requestInFlight() async throws {
        let emulator = try await EmulatorServer.start()
        await emulator.setFaults(FaultPlan(script: [.delay(milliseconds: 60_000)]))
        let client = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let slow = HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(emulator.port)", path: "/bucket")
        let pending = Task { try await client.send(slow, body: nil, options: .init()) }
        try await Task.sleep(for: .milliseconds(300))

        let elapsed = await measureStop(emulator)
        // The request would run 60 s; the grace period is 300 ms (a loose bound for a loaded machine).
        #expect(elapsed < .seconds(10), "stop() took \(elapsed)")
        _ = await pending.result
        await client.shutdown()
    }
}
