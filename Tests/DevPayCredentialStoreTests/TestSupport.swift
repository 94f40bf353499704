@testable import DevPayCredentialStore
import Foundation
import NIOConcurrencyHelpers

/// A fresh folder under the system temporary folder, removed when the test is done with it.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/devpay-store-test.XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: created)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var storeLocation: CredentialStoreLocation { CredentialStoreLocation(path: path + "/store") }
}

enum Fixtures {
    static let product = try! ProductKey(identifier: "com.example.backup")
    static let otherProduct = try! ProductKey(identifier: "com.example.photos")

    static func credentials(_ tag: String, expires: Bool = false) -> CredentialSet {
        try! CredentialSet(
            userToken: "{UserToken}AAAAVHRva2Vu" + tag,
            accessKeyID: "AKIADEVPAY" + tag,
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG/" + tag,
            activatedAt: Date(timeIntervalSince1970: 1_780_000_000.123),
            tokenExpiresAt: expires ? Date(timeIntervalSince1970: 1_780_086_400) : nil
        )
    }

    static func store(_ folder: TemporaryFolder, product: ProductKey = product) -> CredentialStore {
        CredentialStore(location: folder.storeLocation, product: product)
    }

    static func recordPath(_ folder: TemporaryFolder, product: ProductKey = product, profile: String = "default")
        -> String
    {
        folder.storeLocation.path + "/products/" + product.storageName + "/" + profile + ".record"
    }
}

func fileBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func permissionBits(_ path: String) throws -> Int {
    var status = stat()
    guard lstat(path, &status) == 0 else { throw CocoaError(.fileReadNoSuchFile) }
    return Int(status.st_mode & 0o777)
}

/// A thread-safe counter that escaping closures can share.
final class Counter: Sendable {
    private let count = NIOLockedValueBox(0)

    /// Adds one and returns the new count.
    func increment() -> Int {
        count.withLockedValue { count in
            count += 1
            return count
        }
    }

    var value: Int { count.withLockedValue { $0 } }
}
