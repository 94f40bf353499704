@testable import DevPayCredentialStore
import Foundation
import Logging
import Synchronization
import Testing

@Suite("secrets stay out of logs and errors")
struct SecretLoggingTests {
    /// Keeps every rendered log line, for searching.
    struct CapturingLogHandler: LogHandler {
        let box: Box
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        func log(event: LogEvent) {
            let metadata = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            box.lines.withLock { $0.append("\(event.level) \(event.message) \(metadata)") }
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
    }

    final class Box: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test("a whole life cycle with corruption and reactivation logs no token, secret or key")
    func noSecretsLogged() async throws {
        let box = Box()
        let folder = try TemporaryFolder()
        let productToken = "{ProductToken}AAAAVGhpcyBpcyBub3QgYSByZWFsIHByb2R1Y3Q="
        let logger = Logger(label: "test") { _ in CapturingLogHandler(box: box) }
        let store = CredentialStore(
            location: folder.storeLocation, product: .productToken(productToken), logger: logger)

        let saved = try await store.save(Fixtures.credentials("1"))
        let record = folder.storeLocation.path + "/products/" + store.product.storageName + "/default.record"
        try writeBytes(Array("DPCR\u{1}\u{0}broken".utf8), to: record)
        let lookup = try await store.load()
        _ = try await store.reactivate(replacing: saved.revision) { Fixtures.credentials("2") }
        let masterKey = try fileBytes(folder.storeLocation.path + "/master.key")

        let lines = box.lines.withLock { $0 }
        #expect(lines.count >= 2, "expected the key creation and the quarantine to be logged")
        let everything = (lines + ["\(lookup)", "\(saved)"]).joined(separator: "\n")
        for secret in ["UserToken}AAAA", "wJalrXUtnFEMI", "ProductToken", hexString(masterKey.suffix(32))] {
            #expect(!everything.contains(secret), "\(secret) leaked")
        }
    }
}
