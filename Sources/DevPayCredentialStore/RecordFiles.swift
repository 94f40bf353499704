#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The paths of one product and profile inside the store:
///
///     <root>/master.key                          per-user master key (0600)
///     <root>/products/<product>/                 one folder per product (0700)
///         <profile>.record                       the sealed set (0600)
///         <profile>.record.tmp-<pid>-<random>    a write in progress (a leftover one is stale)
///         <profile>.lock                         flock target, never deleted
///         quarantine/<profile>.<time>.<pid>.<random>.<reason>
struct RecordFiles: Sendable {
    let root: String
    let productFolder: String
    let record: String
    let lock: String
    let quarantineFolder: String
    let profileName: String
    let binding: RecordBinding

    init(root: String, product: ProductKey, profile: ProfileName) {
        self.root = root
        productFolder = root + "/products/" + product.storageName
        record = productFolder + "/" + profile.name + ".record"
        lock = productFolder + "/" + profile.name + ".lock"
        quarantineFolder = productFolder + "/quarantine"
        profileName = profile.name
        binding = RecordBinding(product: product, profile: profile)
    }

    /// A fresh name for a write in progress: `<profile>.record.tmp-<pid>-<16 hex digits>`.
    func temporaryName(random: [UInt8]) -> String {
        temporaryPrefix + "\(getpid())-" + hexString(random)
    }

    /// Whether `name` is exactly a temporary name of this profile. A prefix test is not enough: profile names
    /// may contain `.record.tmp-` themselves (`default.record.tmp-work` is a valid profile), and that profile's
    /// files must never be mistaken for leftovers of `default`.
    func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix(temporaryPrefix) else { return false }
        let parts = name.utf8.dropFirst(temporaryPrefix.utf8.count).split(separator: UInt8(ascii: "-"),
                                                                         omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = parts.first, let random = parts.last else { return false }
        return !pid.isEmpty && pid.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            && random.count == 2 * Self.temporaryRandomCount
            && random.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// Random bytes in a temporary name.
    static let temporaryRandomCount = 8

    private var temporaryPrefix: String { profileName + ".record.tmp-" }
}
