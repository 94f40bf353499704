import DevPayEmulator
import Foundation
import Testing

@Suite("emulator HTTPS on loopback")
struct EmulatorTLSTests {
    @Test("serves HTTPS on an ephemeral loopback port with a generated CA that curl trusts")
    func trustedByItsCA() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        #expect(fixture.server.baseURL.host == "127.0.0.1")
        #expect(fixture.server.port > 0)
        let pem = try String(contentsOf: fixture.server.caCertificateFile, encoding: .utf8)
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        let reply = try await fixture.client.send("GET", fixture.url("/admin/health"))
        #expect(reply.status == 200)
        #expect(reply.text.contains("\"ok\""))
        // The certificate also names localhost.
        let byName = try await fixture.client.send("GET", "https://localhost:\(fixture.server.port)/admin/health")
        #expect(byName.status == 200)
    }

    @Test("a client that does not trust the emulator's CA refuses the connection")
    func untrustedWithoutCA() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (exitCode, _) = try await CurlClient.run("/usr/bin/curl", ["-s", "-o", "/dev/null", fixture.url("/admin/health")])
        #expect(exitCode == 60)  // CURLE_PEER_FAILED_VERIFICATION
    }

    @Test("plain HTTP gets no answer")
    func plainHTTPRefused() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (exitCode, status) = try await CurlClient.run(
            "/usr/bin/curl", ["-s", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                              "http://127.0.0.1:\(fixture.server.port)/admin/health"])
        #expect(exitCode != 0)
        #expect(status != "200")
    }

    @Test("after stop the port no longer answers")
    func stopCloses() async throws {
        let fixture = try await EmulatorFixture.start()
        await fixture.server.stop()
        let reply = try await fixture.client.send("GET", fixture.url("/admin/health"))
        #expect(reply.curlExitCode == 7)  // CURLE_COULDNT_CONNECT
    }

    @Test("a non-loopback host is refused before binding")
    func loopbackOnly() async throws {
        await #expect(throws: EmulatorError.self) {
            _ = try await EmulatorServer.start(EmulatorConfiguration(host: "0.0.0.0"))
        }
    }
}
