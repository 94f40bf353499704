/// `moto_server` (PyPI `moto[server]`, installed by scripts/install-dependencies): an S3 written by others, as
/// an independent peer on 127.0.0.1.
public struct MotoS3Server: StoppablePeer {
    private let peer: PeerProcess

    /// The service's base URL (plain HTTP: moto serves no TLS).
    public var url: String { "http://127.0.0.1:\(peer.port)" }
    public var port: Int { peer.port }

    /// Python binds port 0, prints the port, and serves until its standard input closes.
    private static let launcher = """
        import sys
        from moto.server import ThreadedMotoServer
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        print("PORT", server.get_host_and_port()[1], flush=True)
        sys.stdin.read()
        server.stop()
        """

    /// Starts a server with an empty S3.
    public static func start() async throws -> MotoS3Server {
        MotoS3Server(peer: try await PeerProcess.launch(["python3", "-c", launcher], name: "moto_server"))
    }

    /// Ends the server and waits until it has exited.
    public func stop() async { await peer.stop() }

    /// Runs `body` with a fresh server and stops the server afterwards, whether `body` returns or throws.
    public static func with<Result>(_ body: (MotoS3Server) async throws -> Result) async throws -> Result {
        try await withPeer(try await start(), body)
    }
}
