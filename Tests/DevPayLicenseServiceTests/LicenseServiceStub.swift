import DevPayTestSupport
import Foundation

/// `Tests/Peers/license-service-stub.py` as a peer: a scripted License Service over HTTPS on 127.0.0.1, with a
/// certificate from the test process's CA.
struct LicenseServiceStub: Sendable {
    struct Step: Encodable {
        var status: Int
        var headers: [String: String] = [:]
        var body: String = ""
    }

    struct ReceivedRequest: Decodable {
        var path: String
        var params: [String: String]
    }

    private let peer: PeerProcess

    var port: Int { peer.port }
    var endpoint: String { "https://127.0.0.1:\(port)/" }

    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers/license-service-stub.py").path

    /// Starts a stub that answers `steps` in order and checks SigV1 with `secrets` (Access Key ID → secret).
    static func start(steps: [Step], secrets: [String: String] = [:]) async throws -> LicenseServiceStub {
        struct Script: Encodable { var secrets: [String: String]; var steps: [Step] }
        let pki = try TestPKI.shared()
        let scriptFile = "\(pki.directory)/stub-script-\(UUID().uuidString).json"
        try JSONEncoder().encode(Script(secrets: secrets, steps: steps)).write(to: URL(fileURLWithPath: scriptFile))
        let command = ["python3", script, "--cert", pki.loopback.certificate, "--key", pki.loopback.key,
                       "--script", scriptFile]
        return LicenseServiceStub(peer: try await PeerProcess.launch(command, name: "license-service-stub.py"))
    }

    /// The requests the stub received, in order, with their query parameters decoded by Python.
    func receivedRequests() async throws -> [ReceivedRequest] {
        let caFile = try TestPKI.shared().caFile
        let data = try await offPool { [port] in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["curl", "-sS", "--cacert", caFile, "https://127.0.0.1:\(port)/__requests"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return data
        }
        return try JSONDecoder().decode([ReceivedRequest].self, from: data)
    }

    /// Stops the stub and waits for it to exit.
    func stop() async { await peer.stop() }
}
