import ArgumentParser
import DevPayCredentialStore
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayRetry
import Foundation

/// Which DevPay product, where its credentials are kept, and which License Service to ask, whichever
/// command-line spelling they came from; `DEVPAY_*` variables fill what the command line left out.
struct ProductSettings: Sendable {
    var productToken: String?
    var store: String?
    var licenseService: String?
    var caFile: String?
    var pollInterval = 30

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    var resolvedProductToken: String? { productToken ?? environment["DEVPAY_PRODUCT_TOKEN"] }
    var resolvedLicenseService: String? { licenseService ?? environment["DEVPAY_ENDPOINT"] }
    var resolvedCAFile: String? { caFile ?? environment["DEVPAY_CA_FILE"] }

    /// The product token, parsed once (trimmed and checked), or a usage error naming the option and the problem.
    func requireProductToken() throws -> ProductToken {
        guard let text = resolvedProductToken, !text.isEmpty else {
            throw ValidationError("pass --product-token (or set DEVPAY_PRODUCT_TOKEN)")
        }
        do {
            return try ProductToken(text)
        } catch {
            throw ValidationError("the product token is malformed: \(error)")
        }
    }

    /// The encrypted store of this product.
    func credentialStore() throws -> CredentialStore {
        let token = try requireProductToken()
        let folder = store ?? environment["DEVPAY_STORE"]
        guard let location = folder.map(CredentialStoreLocation.init(path:)) ?? .standard(environment: environment) else {
            throw ValidationError("no home folder to keep credentials in: pass --store DIR")
        }
        return CredentialStore(location: location, product: .product(token))
    }

    /// Starts this product's lifecycle: it reads the stored set and, if there is one, checks the subscription.
    func lifecycle(tokenExpiration: Duration? = nil, wire: LicenseServiceWire = LicenseServiceWire())
        async throws -> DevPayLifecycle<ContinuousClock>
    {
        let endpoint: LicenseServiceEndpoint
        do {
            endpoint = try resolvedLicenseService.map { try LicenseServiceEndpoint($0) } ?? .amazon
        } catch {
            throw ValidationError("License Service endpoint: \(error)")
        }
        let transport = CurlHTTPClient(configuration: .init(trustRoots: resolvedCAFile.map { .caFile(path: $0) } ?? .system))
        let client = LicenseServiceClient(
            endpoint: endpoint, apiVersion: wire.apiVersion, activationForm: wire.activationForm, transport: transport,
            retryEngine: RetryEngine(policy: .standard))
        return await DevPayLifecycle(configuration: LifecycleConfiguration(
            productToken: try requireProductToken(),
            licenseService: LicenseServiceAdapter(client: client),
            store: EncryptedCredentialStore(store: try credentialStore()),
            clock: ContinuousClock(),
            polling: PollingSchedule(every: .seconds(pollInterval), for: .seconds(max(1200, pollInterval))),
            tokenExpiration: tokenExpiration))
    }
}

/// How the License Service is spoken to: the API version and the form of `ActivateDesktopProduct`.
struct LicenseServiceWire: Sendable {
    var apiVersion: LicenseServiceAPIVersion = .default
    var activationForm: LicenseServiceWireForm = .restQuery
}

/// The product options of `activate`, `status`, `verify` and `watch` (the issue's `--endpoint`/`--ca-file`).
struct ProductOptions: ParsableArguments {
    @Option(help: "The product token ({ProductToken}…). Default: $DEVPAY_PRODUCT_TOKEN. Never printed.")
    var productToken: String?

    @Option(help: "The credential store folder. Default: $DEVPAY_STORE, else $XDG_DATA_HOME/devpay or ~/.local/share/devpay.")
    var store: String?

    @Option(help: "The License Service (HTTPS only). Default: $DEVPAY_ENDPOINT, else https://ls.amazonaws.com/.")
    var endpoint: String?

    @Option(help: "Trust this CA (PEM) for the License Service. Default: $DEVPAY_CA_FILE, else the system's.")
    var caFile: String?

    @Option(help: "Seconds between subscription checks while the subscription is pending.")
    var pollInterval: Int = 30

    func validate() throws {
        guard pollInterval > 0 else { throw ValidationError("--poll-interval must be at least 1 second") }
    }

    var settings: ProductSettings {
        ProductSettings(productToken: productToken, store: store, licenseService: endpoint, caFile: caFile, pollInterval: pollInterval)
    }

    func lifecycle(tokenExpiration: Duration? = nil, wire: LicenseServiceWire = LicenseServiceWire())
        async throws -> DevPayLifecycle<ContinuousClock>
    {
        try await settings.lifecycle(tokenExpiration: tokenExpiration, wire: wire)
    }

    func credentialStore() throws -> CredentialStore { try settings.credentialStore() }
}

/// The DevPay options of `s3` (where `--endpoint` and `--ca-file` are S3's).
struct S3ProductOptions: ParsableArguments {
    @Option(help: "DevPay mode: the product token ({ProductToken}…). Default: $DEVPAY_PRODUCT_TOKEN. Never printed.")
    var productToken: String?

    @Option(help: "DevPay mode: the credential store folder. Default: $DEVPAY_STORE, else the standard one.")
    var store: String?

    @Option(help: "DevPay mode: the License Service. Default: $DEVPAY_ENDPOINT, else --endpoint (the emulator serves both), else Amazon's.")
    var licenseService: String?

    @Option(help: "DevPay mode: the License Service's CA (PEM). Default: $DEVPAY_CA_FILE, else --ca-file.")
    var licenseCAFile: String?

    var settings: ProductSettings {
        ProductSettings(productToken: productToken, store: store, licenseService: licenseService, caFile: licenseCAFile)
    }
}
