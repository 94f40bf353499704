import DevPaySigning
import Testing

@Suite("Signature version 1 (License Service)")
struct LicenseServiceSignerTests {
    let credentials = SigningCredentials(
        accessKeyID: ProtocolDocVectors.accessKeyID, secretAccessKey: ProtocolDocVectors.secretAccessKey)

    var vectorParameters: [QueryParameter] {
        [
            QueryParameter("Action", "VerifyProductSubscriptionByTokens"),
            QueryParameter("AWSAccessKeyId", ProtocolDocVectors.accessKeyID),
            QueryParameter("Expires", "1970-01-01T00:15:00Z"),
            QueryParameter("ProductToken", ProtocolDocVectors.productToken),
            QueryParameter("SignatureVersion", "1"),
            QueryParameter("UserToken", ProtocolDocVectors.userToken),
            QueryParameter("Version", "2008-04-28"),
        ]
    }

    @Test("the protocol doc's VerifyProductSubscriptionByTokens vector signs to EoWZTlMO9qQA6Pbq5Ze4eHAlKZc=")
    func protocolVector() throws {
        let signer = try LicenseServiceSigner(credentials: credentials)
        #expect(signer.signature(for: vectorParameters) == "EoWZTlMO9qQA6Pbq5Ze4eHAlKZc=")
    }

    @Test("parameter order does not matter: names sort ignoring case")
    func orderIndependent() throws {
        let signer = try LicenseServiceSigner(credentials: credentials)
        #expect(signer.signature(for: vectorParameters.reversed()) == "EoWZTlMO9qQA6Pbq5Ze4eHAlKZc=")
        // AWSAccessKeyId sorts before Action only when case is ignored ("aw" > "ac"), so the string to sign
        // starts with Action.
        #expect(LicenseServiceSigner.stringToSign(for: vectorParameters).hasPrefix("ActionVerify"))
    }

    @Test("an existing Signature parameter is ignored when signing")
    func signatureParameterIgnored() throws {
        let signer = try LicenseServiceSigner(credentials: credentials)
        let withSignature = vectorParameters + [QueryParameter("Signature", "bogus")]
        #expect(signer.signature(for: withSignature) == "EoWZTlMO9qQA6Pbq5Ze4eHAlKZc=")
    }

    @Test("the signed query URL-encodes tokens and the signature with RFC 3986")
    func signedQueryEncoding() throws {
        let signer = try LicenseServiceSigner(credentials: credentials)
        let query = signer.signedQuery(for: vectorParameters)
        #expect(query.hasPrefix("Action=VerifyProductSubscriptionByTokens&AWSAccessKeyId=TESTAAAA"))
        #expect(query.contains("&ProductToken=%7BProductToken%7DTESTPRODUCTTOKENAAAA"))
        #expect(query.contains("&Expires=1970-01-01T00%3A15%3A00Z&"))
        #expect(query.hasSuffix("&Signature=EoWZTlMO9qQA6Pbq5Ze4eHAlKZc%3D"))
        #expect(signer.isValidSignature("EoWZTlMO9qQA6Pbq5Ze4eHAlKZc=", for: vectorParameters))
        #expect(!signer.isValidSignature("EoWZTlMO9qQA6Pbq5Ze4eHAlKZd=", for: vectorParameters))
    }

    @Test("signing parameters carry the key ID, version 1 and an ISO 8601 timestamp")
    func signingParameters() throws {
        let signer = try LicenseServiceSigner(credentials: credentials)
        let time = try SigningTime(iso8601: "2008-04-28T12:34:56Z")
        #expect(signer.signingParameters(at: time) == [
            QueryParameter("AWSAccessKeyId", ProtocolDocVectors.accessKeyID),
            QueryParameter("SignatureVersion", "1"),
            QueryParameter("Timestamp", "2008-04-28T12:34:56Z"),
        ])
    }

    @Test("missing credentials are a typed error")
    func missingCredentials() {
        #expect(throws: SigningError.missingCredential(.secretAccessKey)) {
            try LicenseServiceSigner(credentials: SigningCredentials(accessKeyID: "AKID", secretAccessKey: ""))
        }
        #expect(throws: SigningError.missingCredential(.accessKeyID)) {
            try LicenseServiceSigner(credentials: SigningCredentials(accessKeyID: "", secretAccessKey: "s"))
        }
    }
}
