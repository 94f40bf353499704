import Foundation

/// How a client reaches a running emulator: where its services answer and which CA to trust.
///
/// Plain values, so the emulator stays independent of the client modules; the `DevPayEmulatorTesting` kit
/// turns them into the library's configurations (`CurlHTTPClient.Configuration`, `LicenseServiceEndpoint`,
/// `S3Endpoint`). Anything else a client will need to reach the emulator belongs here too.
public struct EmulatorAccess: Sendable, Hashable {
    /// The License Service endpoint, `https://127.0.0.1:PORT/`.
    public var licenseServiceURL: URL
    /// The S3 endpoint (path-style buckets), the same listener as the License Service.
    public var s3URL: URL
    /// PEM file of the CA that signed the server certificate: the only root a client needs to trust.
    public var caCertificateFile: URL

    /// Creates the access description of an emulator serving at `baseURL`.
    public init(baseURL: URL, caCertificateFile: URL) {
        self.licenseServiceURL = baseURL
        self.s3URL = baseURL
        self.caCertificateFile = caCertificateFile
    }
}

/// A product registered and bought by a new customer: everything a test needs to activate and use S3.
public struct EmulatorSale: Sendable, Equatable {
    /// The product: its code and the product token the app embeds.
    public var product: EmulatorProduct
    /// The purchase: the customer and the activation key the purchase page would show.
    public var purchase: IssuedActivationKey
    /// Where the emulator answers and which CA to trust.
    public var access: EmulatorAccess

    /// The product token to configure the lifecycle with.
    public var productToken: String { product.productToken }
    /// The activation key to activate with (valid one hour on the emulator's clock).
    public var activationKey: String { purchase.activationKey }
}

extension EmulatorServer {
    /// Where this emulator answers and which CA to trust.
    public var access: EmulatorAccess {
        EmulatorAccess(baseURL: baseURL, caCertificateFile: caCertificateFile)
    }

    /// Registers a product and sells it to a new customer, in one call: what a test needs to activate.
    ///
    /// ```swift
    /// let emulator = try await EmulatorServer.start()
    /// let sale = try await emulator.sell()                  // subscribed at once
    /// // sale.productToken, sale.activationKey, sale.access (endpoints and CA)
    /// ```
    ///
    /// - Parameters:
    ///   - productCode: the product's code; generated when `nil`.
    ///   - scenario: what the subscription does over time (``SubscriptionScenario/subscribed`` by default).
    public func sell(productCode: String? = nil, scenario: SubscriptionScenario = .subscribed)
        async throws(EmulatorError) -> EmulatorSale
    {
        let product = try await registerProduct(productCode: productCode)
        let purchase = try await purchase(productCode: product.productCode, scenario: scenario)
        return EmulatorSale(product: product, purchase: purchase, access: access)
    }
}
