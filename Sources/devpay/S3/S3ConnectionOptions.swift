import ArgumentParser
import DevPayHTTP
import DevPayS3
import DevPaySigning
import Foundation

/// Where the S3 requests go and how they are signed and trusted.
struct S3ConnectionOptions: ParsableArguments {
    @Option(help: "S3 endpoint, e.g. https://127.0.0.1:8443. Default: Amazon S3, or the License Service endpoint with --store.")
    var endpoint: String?

    @Flag(help: "With --endpoint: put the bucket in the host name (https://BUCKET.host/KEY) instead of the path; the emulator answers it under https://s3.localhost:PORT.")
    var virtualHosted = false

    @Option(help: "Region for SigV4.")
    var region = "us-east-1"

    @Option(help: "Trust this CA certificate (PEM) instead of the system's, e.g. the emulator's.")
    var caFile: String?

    @Option(help: "Signature version: 2 (the DevPay era's) or 4.")
    var signatureVersion: SignatureVersionArgument = .v4

    @Flag(help: "Allow a plain-HTTP endpoint (local S3-compatible servers only; TLS is the default).")
    var allowHTTP = false

    func validate() throws {
        if let endpoint, endpoint.lowercased().hasPrefix("http://"), !allowHTTP {
            throw ValidationError("\(endpoint) is plain HTTP: pass --allow-http to use it")
        }
    }

    /// The transport for S3: TLS verified against `--ca-file`, else `fallbackCAFile`, else the system roots;
    /// through `DEVPAY_PROXY` if set.
    func transport(fallbackCAFile: String? = nil) -> CurlHTTPClient {
        CurlHTTPClient(configuration: .init(
            trustRoots: (caFile ?? fallbackCAFile).map { .caFile(path: $0) } ?? .system,
            schemePolicy: allowHTTP ? .allowPlainHTTP : .httpsOnly,
            proxy: ProxySetting.configured(environment: ProcessInfo.processInfo.environment)))
    }

    /// The S3 client configuration for `endpoint`, signing at `currentTime`.
    func configuration(
        endpoint url: String?, currentTime: @escaping @Sendable () -> Int64 = WallClockTime.secondsSince1970
    ) throws -> S3Client.Configuration {
        let addressing: S3Endpoint.Addressing = virtualHosted ? .virtualHosted : .pathStyle
        // Amazon S3 itself is always addressed virtual-hosted, as AWS asks.
        let endpoint = try url.map { try S3Endpoint(url: $0, region: region, addressing: addressing) } ?? .amazon
        return S3Client.Configuration(
            endpoint: endpoint, signatureVersion: signatureVersion.version,
            requestOptions: HTTPRequestOptions(connectTimeout: .seconds(10), totalTimeout: .seconds(3600)),
            currentTime: currentTime)
    }
}

/// `--signature-version 2|4`.
enum SignatureVersionArgument: String, ExpressibleByArgument, CaseIterable {
    case v2 = "2"
    case v4 = "4"

    var version: S3SignatureVersion { self == .v2 ? .v2 : .v4 }
}
