import DevPaySigning
import DevPayTestSupport
import Foundation
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

    @Test("the VerifyProductSubscriptionByTokens vector of docs/protocol.md §3 signs to EoWZTlMO9qQA6Pbq5Ze4eHAlKZc=")
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

    @Test("signatures match Python's hmac for names differing in case, repeated, and values of every length")
    func agreesWithPythonHMAC() throws {
        // The signer streams each name and value into the MAC separately, so pieces of 0–69 bytes cross
        // SHA-1 block boundaries at every offset; names differ only in case, repeat, or prefix each other.
        let signer = try LicenseServiceSigner(credentials: credentials)
        var cases: [[QueryParameter]] = []
        var parameters = [QueryParameter("Signature", "ignored"), QueryParameter("", "")]
        cases.append([QueryParameter("", "")])
        cases.append([])
        for length in 0..<70 {
            let name = ["a", "A", "ab", "Ab", "b", "Signature2", "AB"][length % 7]
            parameters.append(QueryParameter(name, String(repeating: "v", count: length)))
            cases.append(parameters)
        }
        let expected = try PythonSigV1.signatures(cases, secret: ProtocolDocVectors.secretAccessKey)
        try #require(expected.count == cases.count)
        for (index, parameters) in cases.enumerated() {
            #expect(signer.signature(for: parameters) == expected[index], "\(parameters.count) parameters")
        }
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

/// SigV1 signatures computed by Python's own hmac module (an implementation that shares nothing with
/// ours): names sorted ignoring case, exact bytes breaking ties, `Signature` left out.
enum PythonSigV1 {
    static func signatures(_ cases: [[QueryParameter]], secret: String) throws -> [String] {
        let script = """
            import base64, hashlib, hmac, json, sys
            data = json.load(sys.stdin)
            for params in data["cases"]:
                kept = [p for p in params if p[0] != "Signature"]
                kept.sort(key=lambda p: (p[0].lower(), p[0]))
                text = "".join(name + value for name, value in kept)
                mac = hmac.new(data["secret"].encode(), text.encode(), hashlib.sha1).digest()
                print(base64.b64encode(mac).decode())
            """
        let payload = try JSONSerialization.data(withJSONObject: [
            "secret": secret, "cases": cases.map { $0.map { [$0.name, $0.value] } },
        ])
        let result = try childOutput(["python3", "-c", script], input: payload)
        return String(decoding: result, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
