import DevPayTestSupport
import Foundation

/// `scripts/http-test-server.py` (or nginx, for HTTP/2) run as a peer on 127.0.0.1, HTTPS with the test CA or
/// plain HTTP.
struct TestServer: StoppablePeer {
    let scheme: String
    private let peer: PeerProcess

    var port: Int { peer.port }
    var authority: String { "127.0.0.1:\(port)" }

    /// Symbolic links resolved first: Sanitizers/ builds this file through a link to Tests/DevPayHTTPTests.
    static let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/http-test-server.py").path

    static let nginxScript = URL(fileURLWithPath: script).deletingLastPathComponent()
        .appendingPathComponent("nginx-test-server").path

    /// Starts nginx with HTTPS and HTTP/2 (`scripts/nginx-test-server`).
    static func startHTTP2() async throws -> TestServer {
        let leaf = try TestPKI.shared().loopback
        let peer = try await PeerProcess.launch(["bash", nginxScript, leaf.certificate, leaf.key], name: "nginx")
        return TestServer(scheme: "https", peer: peer)
    }

    /// Starts a server; `tls` false serves plain HTTP. `leaf` picks the certificate (the valid loopback one by
    /// default; the PKI's expired and wrong-host leaves for refusal tests).
    static func start(tls: Bool = true, leaf: TestPKI.Leaf? = nil) async throws -> TestServer {
        var command = ["python3", script]
        if tls {
            let leaf = try leaf ?? TestPKI.shared().loopback
            command += ["--cert", leaf.certificate, "--key", leaf.key]
        }
        let peer = try await PeerProcess.launch(command, name: "http-test-server.py")
        return TestServer(scheme: tls ? "https" : "http", peer: peer)
    }

    /// Stops the server and waits for it to exit.
    func stop() async { await peer.stop() }
}
