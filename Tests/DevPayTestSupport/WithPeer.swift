/// A started test peer that can be stopped.
public protocol StoppablePeer: Sendable {
    /// Stops the peer and waits until it is gone.
    func stop() async
}

/// Runs `body` with `peer` and stops the peer afterwards, whether `body` returns or throws (`defer` cannot
/// await, so tests use this instead).
public func withPeer<Peer: StoppablePeer, Result>(
    _ peer: Peer, _ body: (Peer) async throws -> Result
) async throws -> Result {
    do {
        let result = try await body(peer)
        await peer.stop()
        return result
    } catch {
        await peer.stop()
        throw error
    }
}

extension PeerProcess: StoppablePeer {}
