/// Identifies one stored record: it changes on every write, so it tells "the set I saw" from "a newer set".
public struct CredentialRevision: Sendable, Hashable, CustomStringConvertible {
    /// Counts writes to this product and profile since the record was last absent or unreadable.
    public let generation: UInt64
    /// Random per write, so a revision is never reused even after a delete resets the generation.
    public let recordID: [UInt8]

    init(generation: UInt64, recordID: [UInt8]) {
        self.generation = generation
        self.recordID = recordID
    }

    public var description: String { "generation \(generation) (\(hexString(recordID.prefix(4))))" }
}

/// A credential set as stored, with the revision that identifies this write.
public struct StoredCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The credential set.
    public let credentials: CredentialSet
    /// The write that stored it; pass it to ``CredentialStore/reactivate(profile:replacing:activation:)``
    /// when the set turns out to be invalid.
    public let revision: CredentialRevision

    public var description: String { "\(credentials) at \(revision)" }
}

/// The result of reading a product's credentials.
public enum CredentialLookup: Sendable, Equatable {
    /// A complete, authentic set.
    case found(StoredCredentials)
    /// No usable set: the lifecycle must (re)activate. The reason says why, for logs and diagnostics.
    case missing(MissingCredentialsReason)

    /// The stored credentials, if any.
    public var stored: StoredCredentials? {
        if case .found(let stored) = self { stored } else { nil }
    }
}

/// Why there are no usable credentials.
public enum MissingCredentialsReason: Sendable, Hashable, CustomStringConvertible {
    /// Nothing was ever stored for this product and profile, or it was deleted.
    case notStored
    /// A record was there but could not be used; its bytes were moved to `quarantinedTo` for inspection.
    case unreadable(UnreadableRecordReason, quarantinedTo: String)

    public var description: String {
        switch self {
        case .notStored: "no credentials stored"
        case .unreadable(let reason, let path): "stored credentials unreadable (\(reason)); moved to \(path)"
        }
    }
}

/// Why a record could not be opened. Every case means "activate again"; none loses the bytes.
public enum UnreadableRecordReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// Shorter than a record, or shorter than its header says (a torn or cut file).
    case truncated
    /// Does not start with the record magic: not a credential record at all.
    case notARecord
    /// Written by a format version this build does not know.
    case unknownVersion(UInt8)
    /// Header fields that no valid writer produces (reserved flags, trailing bytes, oversized).
    case malformedHeader
    /// Sealed for another product or profile (for example a file copied between product folders).
    case wrongProductOrProfile
    /// The GCM tag does not match: the bytes were altered, or the master key is not the one that sealed it.
    case authenticationFailed
    /// Authentic, but one of the three parts is empty.
    case missingPart(CredentialPart)
    /// Authentic, but the decrypted content does not parse.
    case malformedContent

    /// A short stable name, used in quarantine file names.
    var slug: String {
        switch self {
        case .truncated: "truncated"
        case .notARecord: "not-a-record"
        case .unknownVersion(let version): "unknown-version-\(version)"
        case .malformedHeader: "malformed-header"
        case .wrongProductOrProfile: "wrong-product"
        case .authenticationFailed: "authentication-failed"
        case .missingPart(let part): "missing-\(part.rawValue)"
        case .malformedContent: "malformed-content"
        }
    }

    public var description: String { slug }
}

/// What ``CredentialStore/reactivate(profile:replacing:activation:)`` did.
public enum ReactivationOutcome: Sendable, Equatable {
    /// This caller ran the activation and stored its result.
    case activated(StoredCredentials)
    /// Another process or task had already stored a newer set while this caller waited; no activation ran.
    case adopted(StoredCredentials)

    /// The credentials to use from now on, whichever way they came.
    public var stored: StoredCredentials {
        switch self {
        case .activated(let stored), .adopted(let stored): stored
        }
    }
}
