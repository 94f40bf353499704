import DevPayLicenseService
import DevPaySigning
import DevPayTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Requests on the wire")
struct RequestBuilderTests {
    static let productToken = try! ProductToken("{ProductToken}YLFRL3e4lOHTgGSQa8BOKA+/x==")
    static let credentials = try! CustomerCredentials(
        userToken: UserToken("{UserToken}AAAHVXNlclRrbg+/=="),
        accessKeyID: "AKIADEVPAYCUSTOMER01",
        secretAccessKey: "dEvPaYcUsToMeRsEcReT/kEy+0123456789EXAMPLE"
    )
    let builder = LicenseServiceRequestBuilder(endpoint: .amazon)

    @Test("ActivateDesktopProduct is an unsigned GET with every value RFC 3986-encoded")
    func activation() throws {
        let request = try builder.activateDesktopProduct(
            activationKey: ActivationKey("admay7dvljtwhj76mmbmqyt5lata"),
            productToken: Self.productToken,
            tokenExpiration: nil
        )
        #expect(request.method == .get)
        #expect(request.scheme == "https")
        #expect(request.authority == "ls.amazonaws.com")
        #expect(request.path == "/?Action=ActivateDesktopProduct&ActivationKey=ADMAY7DVLJTWHJ76MMBMQYT5LATA"
            + "&ProductToken=%7BProductToken%7DYLFRL3e4lOHTgGSQa8BOKA%2B%2Fx%3D%3D&Version=2008-04-28")
    }

    @Test("TokenExpiration is sent as the schema's xs:duration in whole seconds (PT3600S), anything else refused before sending")
    func tokenExpiration() throws {
        let key = try ActivationKey("ADMAY7DVLJTWHJ76MMBMQYT5LATA")
        let request = try builder.activateDesktopProduct(activationKey: key, productToken: Self.productToken, tokenExpiration: .seconds(3600))
        #expect(request.path?.contains("&TokenExpiration=PT3600S&Version=2008-04-28") == true)
        for bad: Duration in [.zero, .seconds(-5), .milliseconds(1500)] {
            #expect(throws: LicenseServiceError.invalidInput(.invalidTokenExpiration)) {
                try builder.activateDesktopProduct(activationKey: key, productToken: Self.productToken, tokenExpiration: bad)
            }
        }
    }

    @Test("an endpoint with a port and a path keeps both")
    func endpointWithPath() throws {
        let builder = LicenseServiceRequestBuilder(endpoint: try LicenseServiceEndpoint("https://127.0.0.1:8443/ls/"))
        let request = try builder.activateDesktopProduct(
            activationKey: ActivationKey("K1"), productToken: Self.productToken, tokenExpiration: nil)
        #expect(request.authority == "127.0.0.1:8443")
        #expect(request.path?.hasPrefix("/ls/?Action=ActivateDesktopProduct&") == true)
    }

    @Test("signed calls carry the customer's key, SignatureVersion 1, the injected time and a SigV1 signature an independent HMAC agrees with",
          arguments: [LicenseServiceAction.verifyProductSubscriptionByTokens, .refreshUserToken])
    func signedCalls(_ action: LicenseServiceAction) throws {
        let time = try SigningTime(iso8601: "2026-11-30T03:14:07Z")
        let request = action == .refreshUserToken
            ? try builder.refreshUserToken(credentials: Self.credentials, productToken: Self.productToken, at: time)
            : try builder.verifyProductSubscriptionByTokens(credentials: Self.credentials, productToken: Self.productToken, at: time)
        let query = try #require(request.path?.split(separator: "?", maxSplits: 1).last.map(String.init))
        let parameters = Dictionary(uniqueKeysWithValues: query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding! }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        })
        #expect(parameters["Action"] == action.rawValue)
        #expect(parameters["AWSAccessKeyId"] == "AKIADEVPAYCUSTOMER01")
        #expect(parameters["SignatureVersion"] == "1")
        #expect(parameters["Timestamp"] == "2026-11-30T03:14:07Z")
        #expect(parameters["Version"] == "2008-04-28")
        #expect(parameters["UserToken"] == "{UserToken}AAAHVXNlclRrbg+/==")
        let tokenName = action == .refreshUserToken ? "AdditionalTokens" : "ProductToken"
        #expect(parameters[tokenName] == Self.productToken.value)
        #expect(parameters["Signature"] == (try PythonHMAC.sigV1(parameters, secret: Self.credentials.secretAccessKey)))
        #expect(!query.contains(Self.credentials.secretAccessKey))
    }
}

/// SigV1 computed by Python's own hmac module: an implementation that shares nothing with ours.
enum PythonHMAC {
    static func sigV1(_ parameters: [String: String], secret: String) throws -> String {
        let script = """
            import base64, hashlib, hmac, json, sys
            data = json.load(sys.stdin)
            params = {k: v for k, v in data["params"].items() if k != "Signature"}
            text = "".join(k + params[k] for k in sorted(params, key=str.lower))
            print(base64.b64encode(hmac.new(data["secret"].encode(), text.encode(), hashlib.sha1).digest()).decode())
            """
        let payload = try JSONSerialization.data(withJSONObject: ["params": parameters, "secret": secret])
        let result = try childOutput(["python3", "-c", script], input: payload)
        return String(decoding: result, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
