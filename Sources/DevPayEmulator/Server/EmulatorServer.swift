import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import NIOConcurrencyHelpers

/// A running DevPay emulator: License Service and DevPay-aware S3 over HTTPS on loopback, plus JSON admin
/// endpoints, embeddable in an app's tests.
///
/// ```swift
/// let emulator = try await EmulatorServer.start()
/// let product = try await emulator.registerProduct()
/// let key = try await emulator.purchase(productCode: product.productCode)
/// // point the client at emulator.baseURL, trusting emulator.caCertificateFile
/// await emulator.stop()
/// ```
public final class EmulatorServer: Sendable {
    /// `https://127.0.0.1:PORT/`: the License Service endpoint and the S3 endpoint (path-style).
    public let baseURL: URL
    /// The port the server listens on.
    public let port: Int
    /// PEM file of the CA that signed the server certificate: what clients must trust.
    public let caCertificateFile: URL
    /// What admin requests must send as `Authorization: Bearer <token>` (every `/admin/` endpoint but
    /// `GET /admin/health`). Give it only to whoever may drive the emulator.
    public let adminToken: String

    let engine: EmulatorEngine
    private let services: ServiceGroup
    private let serverTask: Task<Void, any Error>
    /// The private folder made for the CA file of an in-memory emulator; removed at stop.
    private let temporaryFolder: URL?

    private init(baseURL: URL, port: Int, caCertificateFile: URL, adminToken: String, engine: EmulatorEngine,
                 services: ServiceGroup, serverTask: Task<Void, any Error>, temporaryFolder: URL?) {
        self.adminToken = adminToken
        self.baseURL = baseURL
        self.port = port
        self.caCertificateFile = caCertificateFile
        self.engine = engine
        self.services = services
        self.serverTask = serverTask
        self.temporaryFolder = temporaryFolder
    }

    /// Generates or loads the certificate, loads the state folder if any, binds and starts serving.
    public static func start(_ configuration: EmulatorConfiguration = EmulatorConfiguration())
        async throws(EmulatorError) -> EmulatorServer
    {
        guard ["127.0.0.1", "::1", "localhost"].contains(configuration.host) else {
            throw .serverStart("the emulator listens on loopback only, not \(configuration.host)")
        }
        let adminToken = try AdminToken(configuration.adminToken)
        let folder = try configuration.stateFolder.map { url throws(EmulatorError) in try StateFolder(root: url) }
        let engine = try EmulatorEngine(folder: folder, clock: configuration.clock, random: configuration.random,
                                        wallClock: configuration.wallClock, logger: configuration.logger)
        let (tlsConfiguration, caFile, temporaryFolder) = try makeTLS(configuration.tls, folder: folder)

        let bound = BoundPort()
        let server: HTTPServerBuilder
        do {
            server = try .tls(.http1(), tlsConfiguration: tlsConfiguration)
        } catch {
            throw .invalidTLSMaterial("\(error)")
        }
        let application = Application(
            responder: EmulatorResponder(
                engine: engine, adminToken: adminToken, forwarder: configuration.s3Backend.map(S3Forwarder.init(backend:))),
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "DevPayEmulator"),
            onServerRunning: { channel in bound.resolve(.success(channel.localAddress?.port ?? 0)) },
            logger: configuration.logger
        )
        // No signal handlers: the emulator is embedded in someone else's process, which owns its signals.
        var groupConfiguration = ServiceGroupConfiguration(services: [application], logger: configuration.logger)
        // A test peer stops promptly: requests still running after the grace period are cut off.
        groupConfiguration.maximumGracefulShutdownDuration = Self.stopGracePeriod
        let services = ServiceGroup(configuration: groupConfiguration)
        let serverTask = Task {
            do {
                try await services.run()
                bound.resolve(.failure(.serverStart("the server stopped before it was listening")))
            } catch {
                bound.resolve(.failure(.serverStart("\(error)")))
                throw error
            }
        }
        let port: Int
        switch await bound.value() {
        case .success(let value): port = value
        case .failure(let error):
            await services.triggerGracefulShutdown()
            serverTask.cancel()
            if let temporaryFolder { try? FileManager.default.removeItem(at: temporaryFolder) }
            throw error
        }
        let host = configuration.host == "::1" ? "[::1]" : configuration.host
        configuration.logger.info("DevPay emulator listening", metadata: ["port": "\(port)"])
        return EmulatorServer(baseURL: URL(string: "https://\(host):\(port)/")!, port: port,
                              caCertificateFile: caFile, adminToken: adminToken.value, engine: engine, services: services, serverTask: serverTask,
                              temporaryFolder: temporaryFolder)
    }

    /// How long ``stop()`` lets requests in flight finish before it cuts their connections.
    static let stopGracePeriod: Duration = .milliseconds(300)
    /// How long a closing TLS connection waits for the client's `close_notify`. NIO's default is 5 s, and a
    /// client idling on a keep-alive connection (libcurl's cache) never answers it: every such connection
    /// held ``stop()`` for the full 5 s. Nothing is read after a close, so waiting buys nothing.
    static let closeNotifyTimeout: TimeAmount = .milliseconds(50)

    /// Stops listening, gives requests in flight a short grace period (300 ms) to finish, closes
    /// every connection (idle keep-alive ones at once) and waits for the server to end: well under a second
    /// whatever clients still hold. State already saved stays in the folder.
    public func stop() async {
        await services.triggerGracefulShutdown()
        _ = try? await serverTask.value
        if let temporaryFolder { try? FileManager.default.removeItem(at: temporaryFolder) }
    }

    private static func makeTLS(_ source: EmulatorConfiguration.TLSSource, folder: StateFolder?)
        throws(EmulatorError) -> (TLSConfiguration, URL, temporaryFolder: URL?)
    {
        do {
            switch source {
            case .generate(let requestedCAFile):
                let authority = try LoopbackCertificateAuthority.generate()
                var temporaryFolder: URL?
                if requestedCAFile == nil, folder == nil { temporaryFolder = try makeTemporaryFolder() }
                let caFile = requestedCAFile ?? folder?.root.appendingPathComponent("ca.pem")
                    ?? temporaryFolder!.appendingPathComponent("ca.pem")
                guard FileManager.default.createFile(atPath: caFile.path, contents: Data(authority.caCertificatePEM.utf8),
                                                     attributes: [.posixPermissions: 0o644]) else {
                    throw EmulatorError.stateStorage(path: caFile.path, reason: "cannot write the CA certificate")
                }
                var configuration = TLSConfiguration.makeServerConfiguration(
                    certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(authority.serverCertificatePEM.utf8),
                                                                          format: .pem))],
                    privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(authority.serverPrivateKeyPEM.utf8),
                                                                 format: .pem)))
                configuration.shutdownTimeout = closeNotifyTimeout
                return (configuration, caFile, temporaryFolder)
            case .files(let chain, let key, let caFile):
                var configuration = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(chain.path).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: key.path, format: .pem)))
                configuration.shutdownTimeout = closeNotifyTimeout
                return (configuration, caFile, nil)
            }
        } catch let error as EmulatorError {
            throw error
        } catch {
            throw .invalidTLSMaterial("\(error)")
        }
    }

    private static func makeTemporaryFolder() throws(EmulatorError) -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("devpay-emulator-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .stateStorage(path: folder.path, reason: "cannot create: \(error.localizedDescription)")
        }
        return folder
    }
}

/// The port the server bound, or why it could not: resolved once, awaited once.
private final class BoundPort: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Result<Int, EmulatorError>, Never>?)
        case resolved(Result<Int, EmulatorError>)
    }

    private let state = NIOLockedValueBox(State.waiting(nil))

    func resolve(_ result: Result<Int, EmulatorError>) {
        let continuation: CheckedContinuation<Result<Int, EmulatorError>, Never>? = state.withLockedValue { state in
            guard case .waiting(let continuation) = state else { return nil }
            state = .resolved(result)
            return continuation
        }
        continuation?.resume(returning: result)
    }

    func value() async -> Result<Int, EmulatorError> {
        await withCheckedContinuation { continuation in
            let ready: Result<Int, EmulatorError>? = state.withLockedValue { state in
                switch state {
                case .waiting: state = .waiting(continuation); return nil
                case .resolved(let result): return result
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
