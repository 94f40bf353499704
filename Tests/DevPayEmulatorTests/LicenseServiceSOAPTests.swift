import DevPayEmulator
import Foundation
import Testing

/// The emulator's SOAP endpoint, driven by curl with hand-written envelopes (not DevPayKit's writer), so
/// what it accepts and refuses is pinned independently of the client.
@Suite("emulator License Service: ActivateDesktopProduct as SOAP")
struct LicenseServiceSOAPTests {
    static let soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/"

    static func envelope(_ body: String, namespace: String = soapNamespace) -> Data {
        Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <s:Envelope xmlns:s="\(namespace)"><s:Body>\(body)</s:Body></s:Envelope>
            """.utf8)
    }

    static func activation(key: String, token: String, version: String = "2008-04-28", extra: String = "") -> String {
        """
        <ActivateDesktopProduct xmlns="http://ls.amazonaws.com/doc/\(version)/">\
        <ActivationKey>\(key)</ActivationKey><ProductToken>\(token)</ProductToken>\(extra)</ActivateDesktopProduct>
        """
    }

    func post(_ fixture: EmulatorFixture, _ body: Data) async throws -> CurlClient.Reply {
        try await fixture.client.send("POST", fixture.url("/"), headers: [
            "Content-Type": "text/xml; charset=utf-8", "SOAPAction": "\"ActivateDesktopProduct\"",
        ], body: body)
    }

    @Test("a SOAP activation answers the REST answer inside a SOAP envelope, in the request's namespace",
          arguments: ["2008-04-28", "2007-06-05"])
    func activates(_ version: String) async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let reply = try await post(fixture, Self.envelope(Self.activation(
            key: key.activationKey, token: product.productToken, version: version,
            extra: "<TokenExpiration>PT600S</TokenExpiration>")))
        #expect(reply.status == 200)
        #expect(reply.text.contains("<soapenv:Envelope xmlns:soapenv=\"\(Self.soapNamespace)\">"))
        #expect(reply.text.contains("<ActivateDesktopProductResponse xmlns=\"http://ls.amazonaws.com/doc/\(version)/\">"))
        #expect(xmlText("UserToken", in: reply.text)?.hasPrefix("{UserToken}") == true)
        #expect(xmlText("AWSAccessKeyId", in: reply.text)?.count == 20)
    }

    @Test("action errors come back as SOAP faults: HTTP 500, faultcode Client.Code, the request id in detail")
    func actionFault() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        try await fixture.server.advanceClock(by: 3600)
        let reply = try await post(fixture, Self.envelope(Self.activation(key: key.activationKey, token: product.productToken)))
        #expect(reply.status == 500)
        #expect(xmlText("faultcode", in: reply.text) == "soapenv:Client.ExpiredActivationKey")
        #expect(xmlText("faultstring", in: reply.text)?.isEmpty == false)
        #expect(xmlText("RequestId", in: reply.text) != nil)
    }

    @Test("malformed envelopes get the common SOAP error codes",
          arguments: [
              ("<not-closed", "SoapEnvelopeParseError"),
              ("<?xml version=\"1.0\"?><ActivateDesktopProduct/>", "SoapEnvelopeMissing"),
              (String(decoding: envelope("<x/>", namespace: "http://www.w3.org/2003/05/soap-envelope"), as: UTF8.self),
               "UnknownEnvelopeNamespace"),
              ("<s:Envelope xmlns:s=\"\(soapNamespace)\"><s:Header/></s:Envelope>", "SoapBodyMissing"),
              (String(decoding: envelope(""), as: UTF8.self), "MissingSOAPRequestInfo"),
              (String(decoding: envelope("<ActivateDesktopProduct xmlns=\"http://ls.amazonaws.com/doc/2009-01-01/\"/>"),
                      as: UTF8.self), "NoSuchVersion"),
              (String(decoding: envelope("<VerifyProductSubscriptionByTokens xmlns=\"http://ls.amazonaws.com/doc/2008-04-28/\"/>"),
                      as: UTF8.self), "InvalidAction"),
              ("<!DOCTYPE s [<!ENTITY x \"y\">]><s:Envelope xmlns:s=\"\(soapNamespace)\"><s:Body/></s:Envelope>",
               "SoapEnvelopeParseError"),
          ])
    func malformed(_ body: String, _ code: String) async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let reply = try await post(fixture, Data(body.utf8))
        #expect(reply.status == 500)
        #expect(xmlText("faultcode", in: reply.text) == "soapenv:Client.\(code)")
    }

    @Test("an injected 503 answers a SOAP request with a Server.ServiceUnavailable fault and Retry-After")
    func throttled() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        await fixture.server.setFaults(FaultPlan(target: .licenseService, script: [.serviceUnavailable(retryAfterSeconds: 3)]))
        let body = Self.envelope(Self.activation(key: key.activationKey, token: product.productToken))
        let throttled = try await post(fixture, body)
        #expect(throttled.status == 503)
        #expect(xmlText("faultcode", in: throttled.text) == "soapenv:Server.ServiceUnavailable")
        #expect(throttled.headers["retry-after"] == "3")
        #expect(try await post(fixture, body).status == 200)
    }
}
