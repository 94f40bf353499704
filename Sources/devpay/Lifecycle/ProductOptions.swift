import ArgumentParser
import DevPayCredentialStore
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayRetry
import Foundation

/// Which DevPay product, where its credentials are kept, and which License Service to ask.
struct ProductOptions: ParsableArguments {
    @Option(help: "The product token ({ProductToken}…). Default: $DEVPAY_PRODUCT_TOKEN. Never printed.")
    var productToken: String?

    @Option(help: "The credential store folder. Default: $DEVPAY_STORE, else $XDG_DATA_HOME/devpay or ~/.local/share/devpay.")
    var store: String?

    @Option(
        name: .customLong("license-service"),
        help: "The License Service (HTTPS only). Default: $DEVPAY_ENDPOINT, else https://ls.amazonaws.com/.")
    var licenseService: String?

    @Option(name: .customLong("license-ca-file"), help: "Trust this CA (PEM) for the License Service. Default: $DEVPAY_CA_FILE, else the system's.")
    var licenseCAFile: String?

    @Option(help: "Seconds between subscription checks while the subscription is pending.")
    var pollInterval: Int = 30

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    var resolvedProductToken: String? { productToken ?? environment["DEVPAY_PRODUCT_TOKEN"] }
    var resolvedLicenseService: String? { licenseService ?? environment["DEVPAY_ENDPOINT"] }
    var resolvedCAFile: String? { licenseCAFile ?? environment["DEVPAY_CA_FILE"] }

    func validate() throws {
        guard pollInterval > 0 else { throw ValidationError("--poll-interval must be at least 1 second") }
    }

    /// The product token, or a usage error naming the option.
    func requireProductToken() throws -> String {
        guard let token = resolvedProductToken, !token.isEmpty else {
            throw ValidationError("pass --product-token (or set DEVPAY_PRODUCT_TOKEN)")
        }
        return token
    }

    /// The encrypted store of this product.
    func credentialStore() throws -> CredentialStore {
        let token = try requireProductToken()
        let folder = store ?? environment["DEVPAY_STORE"]
        guard let location = folder.map(CredentialStoreLocation.init(path:)) ?? .standard(environment: environment) else {
            throw ValidationError("no home folder to keep credentials in: pass --store DIR")
        }
        return CredentialStore(location: location, product: .productToken(token))
    }

    /// Starts this product's lifecycle: it reads the stored set and, if there is one, checks the subscription.
    func lifecycle(tokenExpiration: Duration? = nil) async throws -> DevPayLifecycle<ContinuousClock> {
        let endpoint: LicenseServiceEndpoint
        do {
            endpoint = try resolvedLicenseService.map { try LicenseServiceEndpoint($0) } ?? .amazon
        } catch {
            throw ValidationError("--license-service: \(error)")
        }
        let transport = CurlHTTPClient(configuration: .init(trustRoots: resolvedCAFile.map { .caFile(path: $0) } ?? .system))
        let client = LicenseServiceClient(endpoint: endpoint, transport: transport, retryEngine: RetryEngine(policy: .standard))
        return await DevPayLifecycle(configuration: LifecycleConfiguration(
            productToken: try requireProductToken(),
            licenseService: LicenseServiceAdapter(client: client),
            store: EncryptedCredentialStore(store: try credentialStore()),
            clock: ContinuousClock(),
            polling: PollingSchedule(every: .seconds(pollInterval), for: .seconds(max(1200, pollInterval))),
            tokenExpiration: tokenExpiration))
    }
}
