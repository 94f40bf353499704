/// A bucket name S3 accepts, and whether it can be addressed as a virtual host.
public struct S3BucketName: Sendable, Hashable, CustomStringConvertible {
    /// The name as given.
    public let name: String

    /// Checks the rules S3 applies to new bucket names: 3–63 characters of lower-case letters, digits,
    /// dots and hyphens, starting and ending with a letter or digit, no `..`, not shaped like an IPv4 address.
    public init(_ name: String) throws(S3BucketNameError) {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { throw .length(name) }
        let isAlphanumeric: (UInt8) -> Bool = { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
        guard bytes.allSatisfy({ isAlphanumeric($0) || $0 == 0x2E || $0 == 0x2D }) else { throw .characters(name) }
        guard isAlphanumeric(bytes[0]), isAlphanumeric(bytes[bytes.count - 1]) else { throw .edges(name) }
        guard !name.contains("..") else { throw .characters(name) }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !(parts.count == 4 && parts.allSatisfy({ UInt8($0) != nil })) else { throw .ipAddress(name) }
        self.name = name
    }

    /// Whether the name can be the first label of a TLS-verified virtual host (`bucket.s3.amazonaws.com`):
    /// a dot would break the certificate's wildcard match.
    public var isVirtualHostCompatible: Bool { !name.contains(".") }

    public var description: String { name }
}

/// Why a bucket name was refused.
public enum S3BucketNameError: Error, Sendable, Hashable {
    /// Fewer than 3 or more than 63 characters.
    case length(String)
    /// A character outside `a-z 0-9 . -`, or two dots in a row.
    case characters(String)
    /// The first or last character is not a letter or digit.
    case edges(String)
    /// The name looks like an IPv4 address.
    case ipAddress(String)
}
