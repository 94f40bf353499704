import DevPaySigning
import Foundation
import Testing

/// Every case of `aws-signing-test-suite/v4`: canonical request, string to sign and signature, for the
/// header and the presigned form.
@Suite("SigV4: AWS signing test suite v4")
struct SigV4VectorSuiteTests {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    // The suite's context.json spells its keys this way; the names mirror them rather than mapping each one.
    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var expiration_in_seconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
        var omit_session_token: Bool?
    }

    @Test("the suite is present (CI always has it)")
    func suitePresent() {
        if VectorSuites.v4Cases.isEmpty {
            if VectorSuites.isCI { Issue.record(VectorSuites.absenceMessage) } else { print("⚠︎ \(VectorSuites.absenceMessage)") }
        } else {
            #expect(VectorSuites.v4Cases.count >= 38)
        }
    }

    @Test("header signing matches the suite", .enabled(if: !VectorSuites.v4Cases.isEmpty, VectorSuites.absenceMessage),
          arguments: VectorSuites.v4Cases)
    func headerSigning(_ name: String) throws {
        let fixture = try Fixture(name)
        var request = fixture.request.signingRequest()
        let signer = try fixture.signer()
        try signer.sign(&request, at: fixture.time, payload: .hash(of: fixture.request.body))
        #expect(signer.lastCanonicalRequest == (try fixture.file("header-canonical-request.txt")))
        #expect(signer.lastStringToSign == (try fixture.file("header-string-to-sign.txt")))
        #expect(request.signatureForTests == (try fixture.file("header-signature.txt")))
    }

    @Test("presigning matches the suite", .enabled(if: !VectorSuites.v4Cases.isEmpty, VectorSuites.absenceMessage),
          arguments: VectorSuites.v4Cases)
    func presigning(_ name: String) throws {
        let fixture = try Fixture(name)
        var request = fixture.request.signingRequest()
        let signer = try fixture.signer()
        try signer.presign(&request, at: fixture.time, expires: fixture.context.expiration_in_seconds,
                           payload: .hash(of: fixture.request.body))
        #expect(signer.lastCanonicalRequest == (try fixture.file("query-canonical-request.txt")))
        #expect(signer.lastStringToSign == (try fixture.file("query-string-to-sign.txt")))
        #expect(request.signatureForTests == (try fixture.file("query-signature.txt")))
    }

    @Test("unnormalized cases are S3's rule: the wire path signed as is",
          .enabled(if: !VectorSuites.v4Cases.isEmpty, VectorSuites.absenceMessage),
          arguments: VectorSuites.v4Cases)
    func s3RuleOnWirePath(_ name: String) throws {
        let fixture = try Fixture(name)
        guard !fixture.context.normalize else { return }
        let wirePath = PercentEncoding.encode(fixture.request.path).replacingOccurrences(of: "%2F", with: "/")
        var request = fixture.request.signingRequest(path: wirePath)
        let options = SigV4Options(pathRule: .s3, addsContentSHA256Header: fixture.context.sign_body,
                                   signsSecurityToken: !(fixture.context.omit_session_token ?? false))
        let signer = try fixture.signer(options: options)
        try signer.sign(&request, at: fixture.time, payload: .hash(of: fixture.request.body))
        #expect(request.signatureForTests == (try fixture.file("header-signature.txt")))
    }

    struct Fixture {
        let folder: URL
        let context: Context
        let request: RawVectorRequest
        let time: SigningTime

        init(_ name: String) throws {
            folder = VectorSuites.v4Folder.appendingPathComponent(name)
            context = try JSONDecoder().decode(Context.self, from: Data(contentsOf: folder.appendingPathComponent("context.json")))
            request = try RawVectorRequest(VectorSuites.text(folder.appendingPathComponent("request.txt")))
            time = try SigningTime(iso8601: context.timestamp)
        }

        func file(_ name: String) throws -> String {
            try VectorSuites.text(folder.appendingPathComponent(name))
        }

        func signer(options: SigV4Options? = nil) throws -> SigV4Signer {
            let credentials = SigningCredentials(
                accessKeyID: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
                securityToken: context.credentials.token.map(SecurityToken.session))
            let rule = SigV4PathRule(normalizesPath: context.normalize, encodesPath: true)
            return try SigV4Signer(
                credentials: credentials, region: context.region, service: context.service,
                options: options ?? SigV4Options(pathRule: rule, addsContentSHA256Header: context.sign_body,
                                                 signsSecurityToken: !(context.omit_session_token ?? false)))
        }
    }
}

/// Every case of the 2015 suite (header signing only): canonical request, string to sign, Authorization.
@Suite("SigV4: AWS 2015 test suite")
struct SigV4Suite2015Tests {
    static let credentials = SigningCredentials(accessKeyID: "AKIDEXAMPLE",
                                                secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

    @Test("the suite is present (CI always has it)")
    func suitePresent() {
        if VectorSuites.cases2015.isEmpty {
            if VectorSuites.isCI { Issue.record(VectorSuites.absenceMessage) } else { print("⚠︎ \(VectorSuites.absenceMessage)") }
        } else {
            #expect(VectorSuites.cases2015.contains("get-vanilla-query-order-key"))
            #expect(VectorSuites.cases2015.contains("get-vanilla-query-order-value"))
        }
    }

    @Test("header signing matches the suite", .enabled(if: !VectorSuites.cases2015.isEmpty, VectorSuites.absenceMessage),
          arguments: VectorSuites.cases2015)
    func headerSigning(_ relative: String) throws {
        let name = relative.components(separatedBy: "/").last!
        let folder = VectorSuites.suite2015Folder.appendingPathComponent(relative)
        func file(_ suffix: String) throws -> String {
            try VectorSuites.text(folder.appendingPathComponent(name + suffix))
        }
        let raw = try RawVectorRequest(file(".req"))
        // post-sts-header-before sends the token in the request and signs it; -after adds it after signing.
        let tokenInRequest = raw.headers.contains { $0.name.lowercased() == "x-amz-security-token" }
        var credentials = Self.credentials
        if relative.hasPrefix("post-sts-token/") { credentials.securityToken = .session(Self.token) }
        if name == "get-vanilla-with-session-token" {
            credentials.securityToken = .session("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")
        }
        let signer = try SigV4Signer(credentials: credentials, region: "us-east-1", service: "service",
                                     options: SigV4Options(pathRule: .generic, addsContentSHA256Header: false,
                                                           signsSecurityToken: tokenInRequest || !relative.hasPrefix("post-sts-token/")))
        var request = raw.signingRequest()
        try signer.sign(&request, at: SigningTime(iso8601: "2015-08-30T12:36:00Z"), payload: .hash(of: raw.body))
        #expect(signer.lastCanonicalRequest == (try file(".creq")))
        #expect(signer.lastStringToSign == (try file(".sts")))
        #expect(request.headers.first { $0.name == "Authorization" }?.value == (try file(".authz")))
    }
}
