import DevPayLicenseService
import DevPayRetry
import DevPaySigning
import DevPayStateMachineTesting
import DevPayHTTPTesting
import DevPayStateMachine
import DevPayXML
import Foundation
import HTTPTypes
import Testing

/// `ActivateDesktopProduct` as SOAP: the envelope's bytes against the recorded requests, the headers, and
/// SOAP answers and faults through the client as the same typed results as REST-Query.
@Suite("SOAP activation and API versions")
struct SOAPActivationTests {
    static let productToken = try! ProductToken("{ProductToken}AAAHVXNlclRrbgfOpSykBAXO7g/zG+SOAPFIXTURE/Product=")
    static let key = try! ActivationKey("ADMAY7DVLJTWHJ76MMBMQYT5LATA")

    static func fixture(_ name: String) throws -> [UInt8] {
        try Array(Data(contentsOf: RecordedCase.folder.appendingPathComponent("soap/" + name)))
    }

    @Test("the SOAP request is byte for byte the recorded envelope, in either namespace",
          arguments: [
              (LicenseServiceAPIVersion.v2008_04_28, Duration?.none, "activate-request-2008.xml"),
              (.v2007_06_05, .seconds(3600), "activate-request-2007-expiring.xml"),
          ])
    func requestBytes(_ version: LicenseServiceAPIVersion, _ expiration: Duration?, _ file: String) throws {
        let builder = LicenseServiceRequestBuilder(endpoint: .amazon, apiVersion: version)
        let (head, body) = try builder.soapActivateDesktopProduct(
            activationKey: Self.key, productToken: Self.productToken, tokenExpiration: expiration)
        #expect(body == (try Self.fixture(file)))
        #expect(head.method == .post)
        #expect(head.scheme == "https")
        #expect(head.authority == "ls.amazonaws.com")
        #expect(head.path == "/")
        #expect(head.headerFields[.contentType] == "text/xml; charset=utf-8")
        #expect(head.headerFields[HTTPField.Name("SOAPAction")!] == "\"ActivateDesktopProduct\"")
    }

    @Test("the envelope escapes what XML must escape and refuses a token character XML cannot carry")
    func escapingAndRefusal() throws {
        let builder = LicenseServiceRequestBuilder(endpoint: .amazon)
        let spiky = try ProductToken("{ProductToken}a<b>&c\"d'e")
        let (_, body) = try builder.soapActivateDesktopProduct(activationKey: Self.key, productToken: spiky, tokenExpiration: nil)
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains("<ProductToken>{ProductToken}a&lt;b&gt;&amp;c\"d'e</ProductToken>"))

        let nonCharacter = try ProductToken("{ProductToken}abc\u{FFFF}def")
        #expect(throws: LicenseServiceError.invalidInput(.tokenInvalidCharacter(prefix: ProductToken.prefix, position: 17))) {
            try builder.soapActivateDesktopProduct(activationKey: Self.key, productToken: nonCharacter, tokenExpiration: nil)
        }
    }

    @Test("the written envelope reads back through the hardened reader as the tree it was written from")
    func writerRoundTrip() throws {
        let tree = XMLTreeElement(localName: "Envelope", namespaceURI: "urn:a", children: [
            XMLTreeElement(localName: "Body", namespaceURI: "urn:a", children: [
                XMLTreeElement(localName: "Call", namespaceURI: "urn:b", children: [
                    XMLTreeElement(localName: "Text", namespaceURI: "urn:b", text: "a<b & c>d \"é\" 😀"),
                    XMLTreeElement(localName: "Other", namespaceURI: "urn:c", text: "x"),
                ]),
            ]),
        ])
        let bytes = try XMLWriter.document(tree, prefixes: ["urn:a": "a"])
        #expect(try XMLReader().read(bytes) == tree)
        #expect(throws: XMLWriteError.invalidName("a b")) { try XMLWriter.document(XMLTreeElement(localName: "a b")) }
        #expect(throws: XMLWriteError.invalidCharacter(element: "T", position: 1)) {
            try XMLWriter.document(XMLTreeElement(localName: "T", text: "a\u{1}b"))
        }
    }

    @Test("the API version is a setting: every REST-Query action names it, and SigV1 signs it")
    func apiVersionSetting() throws {
        let credentials = try CustomerCredentials(
            userToken: UserToken("{UserToken}AAAHVXNlclRrbg+/=="), accessKeyID: "AKIADEVPAYCUSTOMER01",
            secretAccessKey: "dEvPaYcUsToMeRsEcReT/kEy+0123456789EXAMPLE")
        let time = try SigningTime(iso8601: "2026-11-30T03:14:07Z")
        var signatures: [String] = []
        for version in LicenseServiceAPIVersion.allCases {
            let builder = LicenseServiceRequestBuilder(endpoint: .amazon, apiVersion: version)
            let activation = try builder.activateDesktopProduct(activationKey: Self.key, productToken: Self.productToken, tokenExpiration: nil)
            #expect(activation.path?.hasSuffix("&Version=\(version.rawValue)") == true)
            let verify = try builder.verifyProductSubscriptionByTokens(credentials: credentials, productToken: Self.productToken, at: time)
            let refresh = try builder.refreshUserToken(credentials: credentials, productToken: Self.productToken, at: time)
            for request in [verify, refresh] {
                #expect(request.path?.contains("&Version=\(version.rawValue)") == true)
            }
            signatures.append(String(verify.path?.split(separator: "&").first { $0.hasPrefix("Signature=") } ?? ""))
        }
        #expect(Set(signatures).count == 2, "the version is inside the signed string")
        #expect(LicenseServiceAPIVersion.default == .v2008_04_28)
        #expect(LicenseServiceAPIVersion(rawValue: "2009-01-01") == nil)
        #expect(LicenseServiceAPIVersion.v2007_06_05.namespace == "http://ls.amazonaws.com/doc/2007-06-05/")
    }

    @Test("a SOAP client posts the envelope, reads the SOAP answer, and keeps verification on REST-Query")
    func clientRoundTrip() async throws {
        let transport = ScriptedHTTPTransport([
            .answer(status: 200, body: String(decoding: try Self.fixture("activate-response-2008.xml"), as: UTF8.self)),
        ])
        let client = LicenseServiceClient(apiVersion: .v2008_04_28, activationForm: .soap, transport: transport,
                                          retryEngine: RetryEngine(policy: NoRetryPolicy(), clock: ManualClock()))
        #expect(client.activationForm == .soap)
        let credentials = try await client.activateDesktopProduct(activationKey: Self.key, productToken: Self.productToken)
        #expect(credentials.accessKeyID == "AKIADEVPAYCUSTOMER01")
        #expect(transport.sent.count == 1)
        #expect(transport.sent[0].request.method == .post)
        #expect(transport.sent[0].bodyBytes == (try Self.fixture("activate-request-2008.xml")))
    }

    @Test("SOAP faults are the same typed errors as REST error answers, and a SOAP 503 fault is retried")
    func faultsMatchREST() async throws {
        let decoder = LicenseServiceResponseDecoder()
        func error(_ status: Int, _ body: [UInt8]) -> LicenseServiceError? {
            do { _ = try decoder.decode(.activateDesktopProduct, status: status, body: body); return nil } catch { return error }
        }
        let soap = try #require(error(500, try Self.fixture("fault-expired-activation-key.xml")))
        let rest = try #require(error(400, try Array(Data(contentsOf: RecordedCase.folder.appendingPathComponent("error-expired-activation-key-2008.xml")))))
        #expect(soap.codes == rest.codes)
        #expect(soap.requiredAction == rest.requiredAction)

        let clock = ManualClock()
        let transport = ScriptedHTTPTransport([
            .answer(status: 503, body: String(decoding: try Self.fixture("fault-service-unavailable.xml"), as: UTF8.self)),
            .answer(status: 200, body: String(decoding: try Self.fixture("activate-response-2008.xml"), as: UTF8.self)),
        ])
        let client = LicenseServiceClient(
            activationForm: .soap, transport: transport,
            retryEngine: RetryEngine(policy: .standard, clock: clock, randomNumberGenerator: SeededRandomNumberGenerator(seed: 3)))
        let call = Task { try await client.activateDesktopProduct(activationKey: Self.key, productToken: Self.productToken) }
        #expect(await clock.sleeperArrives())
        clock.advance(by: .seconds(60))
        let credentials = try await call.value
        #expect(credentials.accessKeyID == "AKIADEVPAYCUSTOMER01")
        #expect(transport.sent.count == 2)
        #expect(transport.sent[1].bodyBytes == transport.sent[0].bodyBytes)
    }
}
