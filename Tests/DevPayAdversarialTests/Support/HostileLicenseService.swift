import DevPayTestSupport
import Foundation

/// `Tests/Peers/hostile-license-service.py` as a peer on 127.0.0.1, serving one certificate.
struct HostileLicenseService: Sendable {
    private let peer: PeerProcess

    var port: Int { peer.port }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers/hostile-license-service.py").path

    /// The endpoint for one behaviour of the server, e.g. `https://127.0.0.1:PORT/slowloris/`.
    func endpoint(_ mode: String, host: String = "127.0.0.1") -> String { "https://\(host):\(port)/\(mode)/" }

    /// Starts the server with `leaf`.
    static func start(leaf: TestPKI.Leaf) async throws -> HostileLicenseService {
        let command = ["python3", script, "--cert", leaf.certificate, "--key", leaf.key]
        return HostileLicenseService(peer: try await PeerProcess.launch(command, name: "hostile License Service"))
    }

    func stop() async { await peer.stop() }
}
