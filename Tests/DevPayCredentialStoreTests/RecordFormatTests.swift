@testable import DevPayCredentialStore
import Foundation
import PropertyBased
import Testing

/// The sealed record on its own: no files, so every bit of a record can be flipped quickly.
@Suite("record format")
struct RecordFormatTests {
    static let key = try! SecretBytes(count: 32) { (buffer) throws(CredentialStoreError) in
        try SecureRandom.fill(buffer)
    }
    static let binding = RecordBinding(product: Fixtures.product, profile: .standard)
    static let revision = CredentialRevision(generation: 7, recordID: Array(0..<16))

    static func seal(_ set: CredentialSet = Fixtures.credentials("1", expires: true)) throws -> [UInt8] {
        try RecordFormat.seal(set, revision: revision, key: key, binding: binding)
    }

    static func open(_ record: [UInt8], binding: RecordBinding = binding) throws
        -> Result<StoredCredentials, UnreadableRecordReason>
    {
        try RecordFormat.open(record, key: key, binding: binding)
    }

    @Test("every single-bit flip of a record fails to open")
    func everyBitFlipFails() throws {
        let set = Fixtures.credentials("flip", expires: true)
        let record = try Self.seal(set)
        #expect(try Self.open(record) == .success(StoredCredentials(credentials: set, revision: Self.revision)))
        var failures = 0
        for bit in 0..<(record.count * 8) {
            var tampered = record
            tampered[bit / 8] ^= 1 << UInt8(bit % 8)
            if case .failure = try Self.open(tampered) { failures += 1 }
        }
        #expect(failures == record.count * 8)
    }

    @Test("a bit flip in the sealed part fails authentication, whatever the set")
    func bitFlipProperty() async {
        await propertyCheck(
            count: 60,
            input: Gen.unicodeScalar(in: "\u{21}"..."\u{2FF}").map { Character($0) }.string(of: 1...300),
            Gen.int(in: 0..<Int.max)
        ) { token, position in
            let set = try CredentialSet(
                userToken: token, accessKeyID: "AKID", secretAccessKey: token + "s", activatedAt: Date())
            var record = try Self.seal(set)
            let sealedBits = (record.count - RecordFormat.headerCount) * 8
            let bit = RecordFormat.headerCount * 8 + position % sealedBits
            record[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(try Self.open(record) == .failure(.authenticationFailed))
        }
    }

    @Test("a record sealed for one product or profile does not open for another")
    func bindingIsolation() throws {
        let record = try Self.seal()
        let otherProduct = RecordBinding(product: Fixtures.otherProduct, profile: .standard)
        let otherProfile = RecordBinding(product: Fixtures.product, profile: try ProfileName("work"))
        #expect(try Self.open(record, binding: otherProduct) == .failure(.wrongProductOrProfile))
        #expect(try Self.open(record, binding: otherProfile) == .failure(.wrongProductOrProfile))

        // Forging the clear fingerprint does not help: the full binding is associated data.
        var forged = record
        forged.replaceSubrange(6..<14, with: otherProduct.fingerprint)
        #expect(try Self.open(forged, binding: otherProduct) == .failure(.authenticationFailed))
    }

    @Test("every truncation of a record reads as truncated")
    func truncation() throws {
        let record = try Self.seal()
        for count in 0..<record.count {
            let reason = try Self.open(Array(record.prefix(count)))
            #expect(reason == .failure(.truncated), "prefix of \(count) bytes")
        }
        #expect(try Self.open(record + [0]) == .failure(.malformedHeader))
    }

    @Test("an unknown format version is reported with its number")
    func unknownVersion() throws {
        var record = try Self.seal()
        record[4] = 2
        #expect(try Self.open(record) == .failure(.unknownVersion(2)))
        #expect(try Self.open(Array("hello, world, this is not a record".utf8)) == .failure(.notARecord))
    }

    @Test("two seals of the same set use different nonces")
    func freshNonces() throws {
        let first = try Self.seal()
        let second = try Self.seal()
        #expect(first[14..<26] != second[14..<26])
        #expect(first[30...] != second[30...])
    }

    @Test("an authentic payload with an empty part reads as a missing part")
    func missingPartInPayload() throws {
        // Build a payload by hand: the public types refuse empty parts, so only a foreign writer makes one.
        var payload: [UInt8] = []
        payload.appendBigEndian(UInt64(1))
        payload += [UInt8](repeating: 9, count: 16)
        payload.appendBigEndian(Int64(0))
        payload.append(0)
        payload.appendBigEndian(Int64(0))
        for field in ["{UserToken}x", "AKID", ""] {
            payload.appendBigEndian(UInt32(field.utf8.count))
            payload += Array(field.utf8)
        }
        let decoded = RecordPayload.decode(SecretBytes(copying: payload))
        #expect(decoded == .failure(.missingPart(.secretAccessKey)))
        #expect(RecordPayload.decode(SecretBytes(copying: payload + [0])) == .failure(.malformedContent))
    }
}
