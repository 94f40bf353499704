import DevPayCredentialStore
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayS3
import Foundation

// example: lifecycle
/// One product's lifecycle in an app: a week-long user token, states shown as they come, S3 through the gate.
func runLifecycle(productToken: ProductToken, pastedKey: String, location: CredentialStoreLocation,
                  show: @escaping @Sendable (ActivationState) -> Void) async throws -> [String] {
    let transport = CurlHTTPClient()
    let lifecycle = await DevPayLifecycle(configuration: LifecycleConfiguration(
        productToken: productToken,
        licenseService: LicenseServiceAdapter(client: LicenseServiceClient(endpoint: .amazon, transport: transport)),
        store: EncryptedCredentialStore(store: CredentialStore(location: location, product: .product(productToken))),
        clock: ContinuousClock(),
        tokenExpiration: .seconds(7 * 86_400)))
    let states = await lifecycle.states                                    // from the current state on
    Task { for await state in states { show(state) } }                     // in a task of its own
    try await lifecycle.activate(key: pastedKey)                           // typed errors: malformed key, expired key, …
    try await lifecycle.waitUntilSubscribed(timeout: .seconds(120))
    let s3 = lifecycle.s3Client(configuration: S3Client.Configuration(endpoint: .amazon), transport: transport)
    return try await s3.perform { try await $0.listBuckets().map(\.name) }
}
// example end
