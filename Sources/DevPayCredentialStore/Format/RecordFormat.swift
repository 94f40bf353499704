/// The on-disk record, version 1 (byte layout in docs/security.md):
///
///     offset  size  field
///     0       4     magic "DPCR"
///     4       1     format version (1)
///     5       1     flags (reserved, 0)
///     6       8     binding fingerprint: SHA-256(binding)[0..<8]
///     14      12    GCM nonce, fresh from the CSPRNG for every write
///     26      4     ciphertext length n, big-endian
///     30      n     AES-256-GCM ciphertext of the payload (``RecordPayload``)
///     30+n    16    GCM tag
///
/// Associated data: the 30 header bytes followed by the full binding (version, product, profile).
enum RecordFormat {
    static let magic: [UInt8] = Array("DPCR".utf8)
    static let version: UInt8 = 1
    static let fingerprintCount = 8
    static let headerCount = 30
    /// Far above any real set (a user token is at most ~1 KiB): bigger files are not records.
    static let maximumCount = 64 * 1024

    static func seal(
        _ credentials: CredentialSet, revision: CredentialRevision, key: SecretBytes, binding: RecordBinding
    ) throws(CredentialStoreError) -> [UInt8] {
        let nonce = try SecureRandom.bytes(AESGCM.nonceCount)
        let payload = RecordPayload.encode(credentials, revision: revision)
        var header = magic
        header.append(version)
        header.append(0)
        header.append(contentsOf: binding.fingerprint)
        header.append(contentsOf: nonce)
        header.appendBigEndian(UInt32(payload.count))

        var record = header + [UInt8](repeating: 0, count: payload.count)
        let tag = try payload.withUnsafeBytes { plaintext in
            record.withUnsafeMutableBytes { output in
                Result { () throws(CredentialStoreError) in
                    try AESGCM.seal(
                        plaintext,
                        into: UnsafeMutableRawBufferPointer(rebasing: output[headerCount...]),
                        key: key,
                        nonce: nonce,
                        associatedData: header + binding.associatedData
                    )
                }
            }
        }.get()
        record.append(contentsOf: tag)
        return record
    }

    static func open(
        _ record: [UInt8], key: SecretBytes, binding: RecordBinding
    ) throws(CredentialStoreError) -> Result<StoredCredentials, UnreadableRecordReason> {
        if record.count >= magic.count, Array(record[0..<magic.count]) != magic { return .failure(.notARecord) }
        guard record.count >= headerCount + AESGCM.tagCount else { return .failure(.truncated) }
        guard record[4] == version else { return .failure(.unknownVersion(record[4])) }
        guard record[5] == 0 else { return .failure(.malformedHeader) }
        let length = Int(record.readBigEndianUInt32(at: 26))
        let expectedCount = headerCount + length + AESGCM.tagCount
        if record.count < expectedCount { return .failure(.truncated) }
        if record.count > expectedCount || record.count > maximumCount { return .failure(.malformedHeader) }
        guard Array(record[6..<14]) == binding.fingerprint else { return .failure(.wrongProductOrProfile) }

        let associatedData = Array(record[0..<headerCount]) + binding.associatedData
        var authentic = false
        let plaintext = try SecretBytes(count: length) { (output) throws(CredentialStoreError) in
            authentic = try record.withUnsafeBytes { bytes in
                Result { () throws(CredentialStoreError) in
                    try AESGCM.open(
                        UnsafeRawBufferPointer(rebasing: bytes[headerCount..<(headerCount + length)]),
                        into: output,
                        key: key,
                        nonce: UnsafeRawBufferPointer(rebasing: bytes[14..<26]),
                        tag: UnsafeRawBufferPointer(rebasing: bytes[(headerCount + length)...]),
                        associatedData: associatedData
                    )
                }
            }.get()
        }
        guard authentic else { return .failure(.authenticationFailed) }
        return RecordPayload.decode(plaintext)
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<Integer: FixedWidthInteger>(_ value: Integer) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    func readBigEndianUInt32(at offset: Int) -> UInt32 {
        self[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
