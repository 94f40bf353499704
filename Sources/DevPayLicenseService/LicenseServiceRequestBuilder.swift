import DevPaySigning
import DevPayXML
public import HTTPTypes

/// Builds the request for each action: REST-Query (GET, parameters RFC 3986-encoded into the query, SigV1
/// for the signed actions) or, for `ActivateDesktopProduct`, a SOAP envelope written with libxml2. Pure: the
/// time comes in as an argument, so tests pin the exact URL and body bytes.
public struct LicenseServiceRequestBuilder: Sendable {
    /// The service the requests go to.
    public let endpoint: LicenseServiceEndpoint
    /// The API version every request names (`Version=`; the action's namespace in SOAP).
    public let apiVersion: LicenseServiceAPIVersion

    /// The SOAP 1.1 envelope namespace.
    public static let soapEnvelopeNamespace = "http://schemas.xmlsoap.org/soap/envelope/"

    /// Creates a builder for `endpoint` naming `apiVersion`.
    public init(endpoint: LicenseServiceEndpoint, apiVersion: LicenseServiceAPIVersion = .default) {
        self.endpoint = endpoint
        self.apiVersion = apiVersion
    }

    /// `ActivateDesktopProduct`, unsigned REST-Query: `ActivationKey`, `ProductToken`, optional
    /// `TokenExpiration` (an `xs:duration`, `PT…S`), `Version`.
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
            parameters.append(QueryParameter("TokenExpiration", try Self.xmlDuration(tokenExpiration)))
        }
        parameters.append(QueryParameter("Version", apiVersion.rawValue))
        return request(query: QueryParameter.queryString(parameters))
    }

    /// `ActivateDesktopProduct` as SOAP: an HTTPS POST of
    /// `<soapenv:Envelope><soapenv:Body><ActivateDesktopProduct xmlns="{version namespace}">…` with
    /// `ActivationKey`, `ProductToken` and the optional `TokenExpiration` in schema order. No `Action` or
    /// `Version`: the Body's root element and its namespace say both. No WS-Security: desktop products need
    /// HTTPS only.
    public func soapActivateDesktopProduct(
        activationKey: ActivationKey,
        productToken: ProductToken,
        tokenExpiration: Duration?
    ) throws(LicenseServiceError) -> (head: HTTPRequest, body: [UInt8]) {
        let namespace = apiVersion.namespace
        var fields = [
            XMLTreeElement(localName: "ActivationKey", namespaceURI: namespace, text: activationKey.value),
            XMLTreeElement(localName: "ProductToken", namespaceURI: namespace, text: productToken.value),
        ]
        if let tokenExpiration {
            fields.append(XMLTreeElement(localName: "TokenExpiration", namespaceURI: namespace,
                                         text: try Self.xmlDuration(tokenExpiration)))
        }
        let action = LicenseServiceAction.activateDesktopProduct.rawValue
        let envelope = XMLTreeElement(localName: "Envelope", namespaceURI: Self.soapEnvelopeNamespace, children: [
            XMLTreeElement(localName: "Body", namespaceURI: Self.soapEnvelopeNamespace, children: [
                XMLTreeElement(localName: action, namespaceURI: namespace, children: fields),
            ]),
        ])
        let body: [UInt8]
        do {
            body = try XMLWriter.document(envelope, prefixes: [Self.soapEnvelopeNamespace: "soapenv"])
        } catch .invalidCharacter(let element, let position) where element == "ProductToken" {
            // The token check lets through non-characters such as U+FFFF that XML cannot carry.
            throw .invalidInput(.tokenInvalidCharacter(prefix: ProductToken.prefix, position: position))
        } catch {
            // Names are constants and the key is A–Z 0–9: only libxml2 running out of memory is left, which
            // Swift's own allocations would trap on too.
            preconditionFailure("libxml2 could not write the SOAP request: \(error)")
        }
        var head = request(query: nil)
        head.method = .post
        head.headerFields[.contentType] = "text/xml; charset=utf-8"
        head.headerFields[HTTPField.Name("SOAPAction")!] = "\"\(action)\""
        return (head, body)
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
                QueryParameter("Version", apiVersion.rawValue),
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
                QueryParameter("Version", apiVersion.rawValue),
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

    private func request(query: String?) -> HTTPRequest {
        // The endpoint is validated as https://authority/path…; split it as it goes on the wire.
        let afterScheme = endpoint.url.dropFirst("https://".count)
        let authority = afterScheme.prefix { $0 != "/" }
        let path = afterScheme.dropFirst(authority.count).prefix { $0 != "?" && $0 != "#" }
        return HTTPRequest(method: .get, scheme: "https", authority: String(authority),
                           path: query.map { "\(path)?\($0)" } ?? String(path))
    }

    /// `TokenExpiration` as the schema types it, an `xs:duration` in whole seconds: `PT3600S`
    /// (docs/license-service.md says why REST-Query sends this form too).
    static func xmlDuration(_ duration: Duration) throws(LicenseServiceError) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0, attoseconds == 0 else { throw .invalidInput(.invalidTokenExpiration) }
        return "PT\(seconds)S"
    }
}
