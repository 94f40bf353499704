#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Failures of the store itself (as opposed to an unreadable record, which reads as "no credentials").
///
/// Messages name paths and system errors, never a secret or a product token.
public enum CredentialStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A product identifier or profile name that is not a safe single file name.
    case invalidName(String)
    /// A system call failed: which call, on which path, and `errno`.
    case system(call: String, path: String, errno: Int32)
    /// A path the store must own is not a regular file or folder owned by this user (for example a symlink).
    case untrustedPath(String)
    /// An OpenSSL operation failed unexpectedly.
    case crypto(String)
    /// A freshly written record did not read back as the set that was written; the old record was kept.
    case verificationFailed(path: String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "not a valid product identifier or profile name (1-64 of A-Z a-z 0-9 . _ -, no leading dot): \(name)"
        case .system(let call, let path, let code):
            "\(call) failed on \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .untrustedPath(let path):
            "refusing to use \(path): not a regular file or folder owned by this user"
        case .crypto(let operation):
            "cryptographic operation failed: \(operation)"
        case .verificationFailed(let path):
            "new record at \(path) did not verify after writing; the previous record is kept"
        }
    }
}
