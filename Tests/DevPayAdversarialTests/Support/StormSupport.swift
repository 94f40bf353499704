import DevPayHTTP
import DevPayKit
import HTTPTypes
import NIOConcurrencyHelpers

/// The lifecycle's store seam in memory: the storm is about the wire, not the disk.
actor MemoryCredentialStore: CredentialStoring {
    private var stored: LifecycleCredentials?

    func load() async throws(DevPayLifecycleError) -> StoredSet {
        stored.map(StoredSet.found) ?? .missing
    }

    func save(_ credentials: LifecycleCredentials) async throws(DevPayLifecycleError) { stored = credentials }

    func delete() async throws(DevPayLifecycleError) { stored = nil }

    var current: LifecycleCredentials? { stored }
}

/// Counts the requests a client sends through a shared transport, so a test can check its retries.
final class CountingTransport: HTTPTransport {
    let base: any HTTPTransport
    private let counter = NIOLockedValueBox((all: 0, activations: 0))

    init(_ base: any HTTPTransport) { self.base = base }

    /// Every request sent.
    var requests: Int { counter.withLockedValue { $0.all } }
    /// `ActivateDesktopProduct` requests sent.
    var activationRequests: Int { counter.withLockedValue { $0.activations } }

    func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse {
        let activation = request.path?.contains("Action=ActivateDesktopProduct") ?? false
        counter.withLockedValue {
            $0.all += 1
            if activation { $0.activations += 1 }
        }
        return try await base.send(request, body: body, options: options)
    }
}

/// Waits until `lifecycle` has read its store: right after `init` it is still `restoring`, and `activate` is
/// refused (`notAllowed`) until then.
func waitUntilRestored<C: Clock>(_ lifecycle: DevPayLifecycle<C>) async {
    for await state in await lifecycle.states where state.name != .restoring { return }
}
