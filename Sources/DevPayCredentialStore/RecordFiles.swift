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

    var temporaryPrefix: String { profileName + ".record.tmp-" }
}
