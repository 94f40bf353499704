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
        // An in-memory emulator's temporary CA folder goes with it.
        #expect(!FileManager.default.fileExists(atPath: fixture.server.caCertificateFile.path))
    }

    @Test("a caller-given certificate and key are served instead of a generated one")
    func callerCertificate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emu-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let authority = try LoopbackCertificateAuthority.generate(validDays: 1)
        let files = ["ca.pem": authority.caCertificatePEM, "server.pem": authority.serverCertificatePEM,
                     "server.key": authority.serverPrivateKeyPEM]
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let server = try await EmulatorServer.start(EmulatorConfiguration(tls: .files(
            certificateChain: folder.appendingPathComponent("server.pem"),
            privateKey: folder.appendingPathComponent("server.key"), caFile: folder.appendingPathComponent("ca.pem"))))
        defer { Task { await server.stop() } }
        #expect(server.caCertificateFile == folder.appendingPathComponent("ca.pem"))
        let reply = try await CurlClient(caFile: server.caCertificateFile).send("GET", server.baseURL.absoluteString + "admin/health")
        #expect(reply.status == 200)
        // Another generated CA does not vouch for it.
        let stranger = folder.appendingPathComponent("stranger.pem")
        try LoopbackCertificateAuthority.generate().caCertificatePEM.write(to: stranger, atomically: true, encoding: .utf8)
        #expect(try await CurlClient(caFile: stranger).send("GET", server.baseURL.absoluteString + "admin/health").curlExitCode == 60)
    }

    @Test("a non-loopback host is refused before binding")
    func loopbackOnly() async throws {
        await #expect(throws: EmulatorError.self) {
            _ = try await EmulatorServer.start(EmulatorConfiguration(host: "0.0.0.0"))
        }
    }
}
