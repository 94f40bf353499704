import Hummingbird
import NIOCore

/// Hummingbird's per-request context plus the connection, so fault injection can drop it.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Objects up to 64 MiB: enough for tests and the demo, bounded so a runaway client cannot exhaust memory.
    var maxUploadSize: Int { 64 * 1024 * 1024 }
}
