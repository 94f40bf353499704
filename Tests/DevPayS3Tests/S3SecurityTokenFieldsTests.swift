import DevPayEmulator
import DevPayHTTP
import DevPayS3
import DevPaySigning
import DevPayTestSupport
import DevPayStateMachineTesting
import DevPayHTTPTesting
import Foundation
import HTTPTypes
import Testing

/// The DevPay token pair on the wire: two `x-amz-security-token` fields (the guide's form, the default) or one
/// combined field, signed identically under SigV2 and SigV4, and both accepted by the emulator when sent by
/// libcurl over HTTPS.
@Suite("S3 security token fields", .serialized, .timeLimit(.minutes(SanitizerRun.minutes(2))))
struct S3SecurityTokenFieldsTests {
    static let userToken = "{UserToken}" + String(repeating: "U", count: 200) + "+/=="
    static let productToken = "{ProductToken}" + String(repeating: "P", count: 150) + "/+="
    static let credentials = SigningCredentials.devPay(
        accessKeyID: "AKIDCUSTOMER00000001", secretAccessKey: "customer/secret+key",
        userToken: userToken, productToken: productToken)
    static let tokenField = HTTPField.Name("x-amz-security-token")!

    func sentRequest(_ fields: S3SecurityTokenFields?, _ version: S3SignatureVersion) async throws -> HTTPRequest {
        let transport = ScriptedHTTPTransport([.init()])
        var configuration = S3Client.Configuration(
            endpoint: try S3Endpoint(url: "https://127.0.0.1:8443"), signatureVersion: version,
            currentTime: { 1_369_353_600 })
        if let fields { configuration.securityTokenFields = fields }
        let client = S3Client(configuration: configuration, transport: transport, credentials: Self.credentials)
        _ = try await client.putObject(bucket: "photos", key: "a.txt", bytes: Array("hello".utf8))
        return try #require(transport.sent.first).request
    }

    @Test("separate is the default: user token field then product token field; combined is one field; same signature",
          arguments: [S3SignatureVersion.v2, .v4])
    func fieldsAndSignature(_ version: S3SignatureVersion) async throws {
        let byDefault = try await sentRequest(nil, version)
        let separate = try await sentRequest(.separate, version)
        let combined = try await sentRequest(.combined, version)
        #expect(byDefault.headerFields[values: Self.tokenField] == [Self.userToken, Self.productToken])
        #expect(separate.headerFields[values: Self.tokenField] == [Self.userToken, Self.productToken])
        #expect(combined.headerFields[values: Self.tokenField] == [Self.userToken + "," + Self.productToken])
        let authorization = try #require(separate.headerFields[.authorization])
        #expect(authorization == combined.headerFields[.authorization])
        #expect(byDefault.headerFields[.authorization] == authorization)
    }

    @Test("a plain session token stays one field whatever the setting")
    func sessionTokenIsOneField() async throws {
        let transport = ScriptedHTTPTransport([.init()])
        let client = S3Client(
            configuration: S3Client.Configuration(endpoint: try S3Endpoint(url: "https://127.0.0.1:8443"), securityTokenFields: .separate),
            transport: transport,
            credentials: SigningCredentials(accessKeyID: "AKID", secretAccessKey: "secret", securityToken: .session("a,b")))
        try await client.createBucket("photos")
        #expect(try #require(transport.sent.first).request.headerFields[values: Self.tokenField] == ["a,b"])
    }

    @Test("libcurl puts exactly the fields the client built on the wire: two token fields, or one",
          arguments: S3SecurityTokenFields.allCases)
    func libcurlKeepsRepeatedFields(_ fields: S3SecurityTokenFields) async throws {
        // scripts/http-test-server.py answers /headers with every field it received, one line each.
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/http-test-server.py").path
        let leaf = try TestPKI.shared().loopback
        let server = try await PeerProcess.launch(
            ["python3", script, "--cert", leaf.certificate, "--key", leaf.key], name: "http-test-server.py")
        try await withPeer(server) { server in
            var request = try await sentRequest(fields, .v4)
            request.authority = "127.0.0.1:\(server.port)"
            request.method = .get
            request.path = "/headers"
            let transport = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: try TestPKI.shared().caFile)))
            let response = try await transport.send(request, body: nil, options: HTTPRequestOptions())
            let received = String(decoding: response.body, as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("x-amz-security-token: ") }.map { String($0.dropFirst(22)) }
            switch fields {
            case .separate: #expect(received == [Self.userToken, Self.productToken])
            case .combined: #expect(received == [Self.userToken + "," + Self.productToken])
            }
        }
    }

    @Test("libcurl sends either form over HTTPS and the emulator verifies it (SigV2 and SigV4)",
          arguments: S3SecurityTokenFields.allCases, [S3SignatureVersion.v2, .v4])
    func emulatorAcceptsBothForms(_ fields: S3SecurityTokenFields, _ version: S3SignatureVersion) async throws {
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(clock: .frozen(at: start)))
        try await withPeer(emulator) { emulator in
            let product = try await emulator.registerProduct()
            let purchase = try await emulator.purchase(productCode: product.productCode)
            let transport = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
            let credentials = try await Self.activate(
                emulator, transport: transport, key: purchase.activationKey, productToken: product.productToken)
            let client = S3Client(
                configuration: S3Client.Configuration(
                    endpoint: try S3Endpoint(url: emulator.baseURL.absoluteString), signatureVersion: version,
                    securityTokenFields: fields, currentTime: { Int64(start.timeIntervalSince1970) }),
                transport: transport, credentials: credentials)
            let bucket = "fields-\(fields)-\(version)".lowercased()
            try await client.createBucket(bucket)
            _ = try await client.putObject(bucket: bucket, key: "note.txt", bytes: Array("both forms".utf8))
            #expect(try await client.getObject(bucket: bucket, key: "note.txt") == Array("both forms".utf8))
        }
    }

    /// `ActivateDesktopProduct` by hand (this target does not link the License Service client).
    static func activate(_ emulator: EmulatorServer, transport: CurlHTTPClient, key: String, productToken: String)
        async throws -> SigningCredentials
    {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let query = [("Action", "ActivateDesktopProduct"), ("ActivationKey", key), ("ProductToken", productToken),
                     ("Version", "2008-04-28")]
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: unreserved)!)" }.joined(separator: "&")
        let authority = "\(emulator.baseURL.host ?? "127.0.0.1"):\(emulator.port)"
        let response = try await transport.send(
            HTTPRequest(method: .get, scheme: "https", authority: authority, path: "/?" + query), body: nil,
            options: HTTPRequestOptions())
        let text = String(decoding: response.body, as: UTF8.self)
        func element(_ name: String) throws -> String {
            let start = try #require(text.range(of: "<\(name)>"))
            let end = try #require(text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex))
            return String(text[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return .devPay(accessKeyID: try element("AWSAccessKeyId"), secretAccessKey: try element("SecretAccessKey"),
                       userToken: try element("UserToken"), productToken: productToken)
    }
}
