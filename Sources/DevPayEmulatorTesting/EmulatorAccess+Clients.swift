public import DevPayEmulator
public import DevPayHTTP
public import DevPayLicenseService
public import DevPayS3

/// The library's client settings for one running emulator: HTTPS to its loopback listener, trusting only
/// its CA.
public struct EmulatorClientConfiguration: Sendable {
    /// A transport configuration that trusts the emulator's CA and nothing else (HTTPS only).
    public var transport: CurlHTTPClient.Configuration
    /// The emulator's License Service endpoint.
    public var licenseService: LicenseServiceEndpoint
    /// The emulator's S3 endpoint, path-style.
    public var s3: S3Endpoint

    /// The settings for the emulator reached through `access`.
    ///
    /// - Throws: only when `access` does not describe an HTTPS endpoint, which an emulator never does.
    public init(_ access: EmulatorAccess) throws {
        transport = CurlHTTPClient.Configuration(trustRoots: .caFile(path: access.caCertificateFile.path))
        licenseService = try LicenseServiceEndpoint(access.licenseServiceURL.absoluteString)
        s3 = try S3Endpoint(url: access.s3URL.absoluteString)
    }
}

extension EmulatorSale {
    /// The library's client settings for the emulator that made this sale.
    public var clients: EmulatorClientConfiguration {
        get throws { try EmulatorClientConfiguration(access) }
    }
}
