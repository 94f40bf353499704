import DevPaySigning
public import HTTPTypes

/// Builds the GET request for each action: parameters RFC 3986-encoded into the query, SigV1 for the signed
/// actions. Pure: the time comes in as an argument, so tests pin the exact URL.
public struct LicenseServiceRequestBuilder: Sendable {
    /// The service the requests go to.
    public let endpoint: LicenseServiceEndpoint

    /// Creates a builder for `endpoint`.
    public init(endpoint: LicenseServiceEndpoint) {
        self.endpoint = endpoint
    }

    /// `ActivateDesktopProduct`, unsigned: `ActivationKey`, `ProductToken`, optional `TokenExpiration` (whole
    /// seconds), `Version`.
    public func activateDesktopProduct(
        activationKey: ActivationKey,
        productToken: ProductToken,
        tokenExpiration: Duration?
    ) throws(LicenseServiceError) -> HTTPRequest {
        var parameters = [
            QueryParameter("Action", LicenseServiceAction.activateDesktopProduct.rawValue),
            QueryParameter("ActivationKey", activationKey.value),
            QueryParameter("ProductToken", productToken.value),
        ]
        if let tokenExpiration {
            parameters.append(QueryParameter("TokenExpiration", String(try Self.wholeSeconds(tokenExpiration))))
        }
        parameters.append(QueryParameter("Version", LicenseServiceAction.apiVersion))
        return request(query: QueryParameter.queryString(parameters))
    }

    /// `VerifyProductSubscriptionByTokens`, signed with the customer's keys at `time`.
    public func verifyProductSubscriptionByTokens(
        credentials: CustomerCredentials,
        productToken: ProductToken,
        at time: SigningTime
    ) throws(LicenseServiceError) -> HTTPRequest {
        try signed(
            [
                QueryParameter("Action", LicenseServiceAction.verifyProductSubscriptionByTokens.rawValue),
                QueryParameter("UserToken", credentials.userToken.value),
                QueryParameter("ProductToken", productToken.value),
                QueryParameter("Version", LicenseServiceAction.apiVersion),
            ],
            credentials: credentials,
            at: time
        )
    }

    /// `RefreshUserToken`, signed with the customer's keys at `time`; the product token goes in `AdditionalTokens`.
    public func refreshUserToken(
        credentials: CustomerCredentials,
        productToken: ProductToken,
        at time: SigningTime
    ) throws(LicenseServiceError) -> HTTPRequest {
        try signed(
            [
                QueryParameter("Action", LicenseServiceAction.refreshUserToken.rawValue),
                QueryParameter("UserToken", credentials.userToken.value),
                QueryParameter("AdditionalTokens", productToken.value),
                QueryParameter("Version", LicenseServiceAction.apiVersion),
            ],
            credentials: credentials,
            at: time
        )
    }

    private func signed(
        _ parameters: [QueryParameter],
        credentials: CustomerCredentials,
        at time: SigningTime
    ) throws(LicenseServiceError) -> HTTPRequest {
        let signer: LicenseServiceSigner
        do {
            signer = try LicenseServiceSigner(credentials: SigningCredentials(
                accessKeyID: credentials.accessKeyID,
                secretAccessKey: credentials.secretAccessKey
            ))
        } catch {
            throw .invalidInput(.invalidCustomerKey(name: "Access Key ID or Secret Access Key"))
        }
        return request(query: signer.signedQuery(for: parameters + signer.signingParameters(at: time)))
    }

    private func request(query: String) -> HTTPRequest {
        // The endpoint is validated as https://authority/path…; split it as it goes on the wire.
        let afterScheme = endpoint.url.dropFirst("https://".count)
        let authority = afterScheme.prefix { $0 != "/" }
        let path = afterScheme.dropFirst(authority.count).prefix { $0 != "?" && $0 != "#" }
        return HTTPRequest(method: .get, scheme: "https", authority: String(authority), path: "\(path)?\(query)")
    }

    private static func wholeSeconds(_ duration: Duration) throws(LicenseServiceError) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0, attoseconds == 0 else { throw .invalidInput(.invalidTokenExpiration) }
        return seconds
    }
}
