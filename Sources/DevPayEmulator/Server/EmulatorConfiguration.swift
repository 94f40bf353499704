import Foundation
import Logging

/// How to start an emulator: where it listens, where it keeps state, which certificate it serves, and the
/// clock and random source it draws from (inject fixed ones for deterministic tests).
public struct EmulatorConfiguration: Sendable {
    /// Where the TLS certificate comes from.
    public enum TLSSource: Sendable {
        /// Generate a CA and a server certificate at start and write the CA's PEM to `caFile`
        /// (default: `ca.pem` in the state folder, or in a new temporary folder for an in-memory emulator).
        case generate(caFile: URL? = nil)
        /// Serve the caller's certificate chain and key (PEM files); `caFile` is what clients should trust.
        case files(certificateChain: URL, privateKey: URL, caFile: URL)
    }

    /// A loopback address: `127.0.0.1` (default), `::1` or `localhost`; any other is refused.
    public var host: String
    /// 0 (default) picks a free ephemeral port.
    public var port: Int
    /// State (JSON) and objects survive restarts here; `nil` keeps everything in memory.
    public var stateFolder: URL?
    public var tls: TLSSource
    /// The emulator clock's starting point when the state folder holds none.
    public var clock: EmulatorClock
    /// The wall clock the emulator clock is derived from.
    public var wallClock: @Sendable () -> Date
    /// Draws keys, tokens, secrets and fault decisions; seed it for repeatable runs.
    public var random: any RandomNumberGenerator & Sendable
    /// The bearer token the admin API requires; `nil` (default) generates a random one at start
    /// (``EmulatorServer/adminToken``).
    public var adminToken: String?
    public var logger: Logger
    /// An S3 engine to front instead of the in-memory store (`nil`, the default, keeps the store).
    public var s3Backend: EmulatorS3Backend?

    public init(
        host: String = "127.0.0.1", port: Int = 0, stateFolder: URL? = nil, tls: TLSSource = .generate(),
        clock: EmulatorClock = .live, wallClock: @escaping @Sendable () -> Date = { Date() },
        random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        adminToken: String? = nil,
        logger: Logger = EmulatorConfiguration.defaultLogger,
        s3Backend: EmulatorS3Backend? = nil
    ) {
        self.adminToken = adminToken
        self.s3Backend = s3Backend
        self.host = host
        self.port = port
        self.stateFolder = stateFolder
        self.tls = tls
        self.clock = clock
        self.wallClock = wallClock
        self.random = random
        self.logger = logger
    }

    /// `devpay.emulator` at `warning`: the server's per-connection chatter stays out of the embedding app's logs.
    public static var defaultLogger: Logger {
        var logger = Logger(label: "devpay.emulator")
        logger.logLevel = .warning
        return logger
    }
}
