import Foundation

/// The sealed part of a record, version 1 (all integers big-endian):
///
///     8   generation
///     16  record ID (random per write)
///     8   activatedAt, milliseconds since 1970 (signed)
///     1   1 if a token expiry follows, else 0
///     8   tokenExpiresAt, milliseconds since 1970 (signed; 0 when absent)
///     4+n user token (length, UTF-8)
///     4+n Access Key ID (length, UTF-8)
///     4+n Secret Access Key (length, UTF-8)
///
/// Decoding is strict: every byte must be accounted for. The buffers holding secrets are wiped.
enum RecordPayload {
    static let recordIDCount = 16

    static func encode(_ credentials: CredentialSet, revision: CredentialRevision) -> SecretBytes {
        let accessKeyID = Array(credentials.accessKeyID.utf8)
        let count = 8 + recordIDCount + 8 + 1 + 8
            + 4 + credentials.userToken.utf8Count + 4 + accessKeyID.count + 4 + credentials.secretAccessKey.utf8Count
        return SecretBytes(count: count) { buffer in
            var writer = Writer(buffer: buffer)
            writer.write(revision.generation)
            writer.write(revision.recordID)
            writer.write(credentials.activatedAt.unixMilliseconds)
            writer.write(UInt8(credentials.tokenExpiresAt == nil ? 0 : 1))
            writer.write(credentials.tokenExpiresAt?.unixMilliseconds ?? 0)
            credentials.userToken.withUnsafeBytes { writer.writeField($0) }
            accessKeyID.withUnsafeBytes { writer.writeField($0) }
            credentials.secretAccessKey.withUnsafeBytes { writer.writeField($0) }
            precondition(writer.offset == count)
        }
    }

    static func decode(_ payload: SecretBytes) -> Result<StoredCredentials, UnreadableRecordReason> {
        payload.withUnsafeBytes { bytes in
            var reader = Reader(bytes: bytes)
            guard
                let generation = reader.read(UInt64.self),
                let recordID = reader.readBytes(recordIDCount),
                let activatedAt = reader.read(Int64.self),
                let hasExpiry = reader.read(UInt8.self), hasExpiry <= 1,
                let expiresAt = reader.read(Int64.self),
                let userToken = reader.readField(),
                let accessKeyID = reader.readField(),
                let secretAccessKey = reader.readField(),
                reader.isAtEnd,
                let accessKeyIDText = String(validating: accessKeyID, as: UTF8.self)
            else { return .failure(.malformedContent) }
            do throws(CredentialSetError) {
                let credentials = try CredentialSet(
                    userToken: SecretText(storage: SecretBytes(copying: userToken)),
                    accessKeyID: accessKeyIDText,
                    secretAccessKey: SecretText(storage: SecretBytes(copying: secretAccessKey)),
                    activatedAt: Date(unixMilliseconds: activatedAt),
                    tokenExpiresAt: hasExpiry == 1 ? Date(unixMilliseconds: expiresAt) : nil
                )
                let revision = CredentialRevision(generation: generation, recordID: Array(recordID))
                return .success(StoredCredentials(credentials: credentials, revision: revision))
            } catch {
                switch error {
                case .missingPart(let part): return .failure(.missingPart(part))
                }
            }
        }
    }

    private struct Writer {
        let buffer: UnsafeMutableRawBufferPointer
        var offset = 0

        mutating func write<Integer: FixedWidthInteger>(_ value: Integer) {
            withUnsafeBytes(of: value.bigEndian) { write($0) }
        }

        mutating func write(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { write($0) }
        }

        mutating func write(_ bytes: UnsafeRawBufferPointer) {
            UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + bytes.count)]).copyMemory(from: bytes)
            offset += bytes.count
        }

        mutating func writeField(_ bytes: UnsafeRawBufferPointer) {
            write(UInt32(bytes.count))
            write(bytes)
        }
    }

    /// Reads without copying; slices stay inside the payload buffer until they are copied into secrets.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        mutating func readBytes(_ count: Int) -> Slice<UnsafeRawBufferPointer>? {
            guard count >= 0, bytes.count - offset >= count else { return nil }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }

        mutating func read<Integer: FixedWidthInteger>(_: Integer.Type) -> Integer? {
            guard let slice = readBytes(MemoryLayout<Integer>.size) else { return nil }
            return slice.reduce(Integer.zero) { $0 << 8 | Integer(truncatingIfNeeded: $1) }
        }

        mutating func readField() -> Slice<UnsafeRawBufferPointer>? {
            guard let count = read(UInt32.self) else { return nil }
            return readBytes(Int(count))
        }
    }
}
