import DevPaySigning

/// Which product a credential set belongs to; each product gets its own folder and its own derived key.
///
/// Built from the product token (hashed: the token never appears in a file name) or from an identifier the
/// app chooses. Two keys made differently never collide: their storage names have different prefixes.
public struct ProductKey: Sendable, Hashable, CustomStringConvertible {
    /// The folder name under `products/`, also bound into every record's associated data.
    public let storageName: String

    /// The key for a product token: `t-` and the first 128 bits of SHA-256(token), in hex, hashed exactly as
    /// given. Apps on DevPayKit pass the parsed token instead (`ProductKey.product(_:)`), so the folder follows
    /// the same trimmed text the requests carry.
    public static func productToken(_ token: String) -> ProductKey {
        let digest = SHA256.digest(Array(token.utf8))
        return ProductKey(storageName: "t-" + hexString(digest.prefix(16)))
    }

    /// The key for an app-chosen identifier: 1 to 64 characters of `A–Z a–z 0–9 . _ -`, not starting with `.`.
    /// - Throws: ``CredentialStoreError/invalidName(_:)`` otherwise.
    public init(identifier: String) throws(CredentialStoreError) {
        guard isSafeFileName(identifier) else { throw .invalidName(identifier) }
        storageName = "n-" + identifier
    }

    private init(storageName: String) {
        self.storageName = storageName
    }

    public var description: String { storageName }
}

/// A named set of credentials within one product (most apps use only ``standard``).
public struct ProfileName: Sendable, Hashable, CustomStringConvertible {
    /// The profile's name, also its file name stem and part of every record's associated data.
    public let name: String

    /// The profile an app uses when it keeps a single customer's set: `default`.
    public static let standard = ProfileName(validated: "default")

    /// 1 to 64 characters of `A–Z a–z 0–9 . _ -`, not starting with `.`.
    /// - Throws: ``CredentialStoreError/invalidName(_:)`` otherwise.
    public init(_ name: String) throws(CredentialStoreError) {
        guard isSafeFileName(name) else { throw .invalidName(name) }
        self.name = name
    }

    private init(validated name: String) {
        self.name = name
    }

    public var description: String { name }
}

/// Names that are safe as one path component: no separators, no `..`, no hidden files, no shell surprises.
private func isSafeFileName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard (1...64).contains(bytes.count), bytes.first != UInt8(ascii: ".") else { return false }
    return bytes.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}
