import DevPaySigning

/// What a record is sealed to: the format version, the product and the profile.
///
/// The full binding is GCM associated data, so a record moved to another product or profile fails to open.
/// A short fingerprint of it also sits in the clear header, only so that case gets its own diagnostic.
struct RecordBinding: Sendable {
    let associatedData: [UInt8]
    let fingerprint: [UInt8]

    init(product: ProductKey, profile: ProfileName, version: UInt8 = RecordFormat.version) {
        var data = Array("DevPayKit credential record".utf8)
        data.append(0)
        data.append(version)
        data.append(contentsOf: product.storageName.utf8)
        data.append(0)
        data.append(contentsOf: profile.name.utf8)
        associatedData = data
        fingerprint = Array(SHA256.digest(data).prefix(RecordFormat.fingerprintCount))
    }
}
