@testable import DevPayCredentialStore
import DevPayLoggingTesting
import Foundation
import Logging
import Testing

@Suite("secrets stay out of logs and errors")
struct SecretLoggingTests {
    @Test("a whole life cycle with corruption and reactivation logs no token, secret or key")
    func noSecretsLogged() async throws {
        let logs = CapturedLogs()
        let folder = try TemporaryFolder()
        let productToken = "{ProductToken}AAAAVGhpcyBpcyBub3QgYSByZWFsIHByb2R1Y3Q="
        let logger = logs.logger(label: "test")
        let store = CredentialStore(
            location: folder.storeLocation, product: .productToken(productToken), logger: logger)

        let saved = try await store.save(Fixtures.credentials("1"))
        let record = folder.storeLocation.path + "/products/" + store.product.storageName + "/default.record"
        try writeBytes(Array("DPCR\u{1}\u{0}broken".utf8), to: record)
        let lookup = try await store.load()
        _ = try await store.reactivate(replacing: saved.revision) { Fixtures.credentials("2") }
        let masterKey = try fileBytes(folder.storeLocation.path + "/master.key")

        let lines = logs.lines
        #expect(lines.count >= 2, "expected the key creation and the quarantine to be logged")
        let everything = (lines + ["\(lookup)", "\(saved)"]).joined(separator: "\n")
        for secret in ["UserToken}AAAA", "wJalrXUtnFEMI", "ProductToken", hexString(masterKey.suffix(32))] {
            #expect(!everything.contains(secret), "\(secret) leaked")
        }
    }
}
