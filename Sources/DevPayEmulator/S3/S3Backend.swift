public import Foundation

/// An S3-compatible engine (SeaweedFS, MinIO, Ceph, …) the emulator fronts instead of its in-memory store: the
/// emulator still checks each request's DevPay signature and tokens, then forwards it signed with the
/// engine's own credentials (SigV4).
public struct EmulatorS3Backend: Sendable, Hashable {
    /// `http(s)://host[:port]` of the engine's S3 API.
    public var endpoint: URL
    /// The engine's access key id.
    public var accessKeyID: String
    /// The engine's secret.
    public var secretAccessKey: String
    /// The region the engine expects in SigV4 signatures.
    public var region: String
    /// A PEM file of CA certificates to trust for an `https` engine (the system's otherwise).
    public var caFile: String?

    /// Describes an engine.
    public init(endpoint: URL, accessKeyID: String, secretAccessKey: String, region: String = "us-east-1", caFile: String? = nil) {
        self.endpoint = endpoint
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.caFile = caFile
    }
}
