// example: quick-start
import DevPayCredentialStore
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayS3

/// Activates the app with the key the customer typed, waits for the subscription, then writes and reads a
/// file in S3. An app uses Amazon's endpoints (the defaults); a test passes the emulator's.
func quickStart(
    productToken: ProductToken,                           // embedded in your app: try ProductToken("{ProductToken}…")
    activationKey: String,                                // typed by the customer, never stored
    storeLocation: CredentialStoreLocation,               // .standard(environment:) in an app
    licenseService: LicenseServiceEndpoint = .amazon,
    s3Endpoint: S3Endpoint = .amazon,
    transport: CurlHTTPClient = CurlHTTPClient(),         // libcurl on its own thread, TLS always verified
    show: @escaping @Sendable (ActivationState) -> Void = { print("DevPay:", $0) }
) async throws -> [UInt8] {
    let store = CredentialStore(location: storeLocation, product: .product(productToken))   // AES-256-GCM, per product
    let lifecycle = await DevPayLifecycle(configuration: LifecycleConfiguration(
        productToken: productToken,
        licenseService: LicenseServiceAdapter(client: LicenseServiceClient(
            endpoint: licenseService, transport: transport)),   // REST-Query, 2008-04-28; activationForm: .soap for SOAP
        store: EncryptedCredentialStore(store: store),
        clock: ContinuousClock()))                        // restores the stored set, checks the subscription
    let states = await lifecycle.states                   // subscribed now: the current state comes first
    let observer = Task { for await state in states { show(state) } }   // unactivated → … → subscribed

    if await lifecycle.state == .unactivated {
        try await lifecycle.activate(key: activationKey)  // stores the new credentials; polling starts
    }
    try await lifecycle.waitUntilSubscribed(timeout: .seconds(120))

    // S3 through the lifecycle: refused while not subscribed, signed with the customer's keys and both tokens
    // (two x-amz-security-token fields, as the guide says; `securityTokenFields: .combined` for one field),
    // S3 errors fed back (reactivate, refresh the token, correct the clock, check the subscription).
    let s3 = lifecycle.s3Client(configuration: S3Client.Configuration(endpoint: s3Endpoint), transport: transport)
    try await s3.perform { try await $0.createBucket("my-devpay-notes") }
    try await s3.perform { try await $0.putObject(bucket: "my-devpay-notes", key: "notes.txt", bytes: Array("hi".utf8)) }
    let bytes = try await s3.perform { try await $0.getObject(bucket: "my-devpay-notes", key: "notes.txt") }

    await lifecycle.shutDown()                            // stops timers and ends the state streams
    await observer.value
    return bytes
}
// example end
