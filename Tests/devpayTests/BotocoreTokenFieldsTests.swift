import DevPayTestSupport
import Foundation
import Testing

/// The DevPay token pair signed by botocore (an independent signer) from the request's own fields, in both
/// forms the guide allows, against `devpay sign` with the pair as credentials: one signature for all three.
/// botocore folds repeated fields into one comma-joined value (SigV4 canonical headers, SigV2
/// CanonicalizedAmzHeaders), as S3 does; this pins that our signer's single value is that folding.
@Suite("the two token fields sign like the combined one, by botocore's reckoning")
struct BotocoreTokenFieldsTests {
    static let userToken = "{UserToken}AAAHVXNlclRrbgfOpSykBAXO7g/zG+7r5dNtYuQ2XFz0pB0cUqQa9z4kS1mEXAMPLE8s+fL9bVq3mXo/Tq=="
    static let productToken = "{ProductToken}YLFRL3e4lOHTgGSQa8BOKA+/x3pQwErTy2uIoPaSdFgHjKlZxCvBnM=="

    @Test("SigV4 and SigV2: two fields, one combined field, and devpay's token pair give the same Authorization",
          arguments: ["s3v4", "s3v2"])
    func sameSignature(_ scheme: String) async throws {
        guard BotocoreDifferentialTests.botocoreAvailable else {
            Issue.record("python3 with botocore is not installed: run scripts/install-dependencies")
            return
        }
        var base: [String: Any] = [
            "scheme": scheme, "method": "PUT", "url": "https://s3.amazonaws.com/lae-abcdefgh-mseed/notes.txt",
            "headers": [["Content-Type", "text/plain"]], "access_key_id": "AKIAIOSFODNN7EXAMPLE",
            "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "region": "us-east-1",
            "time": "2026-12-07T06:00:00Z",
        ]
        if scheme == "s3v4" { base["body_base64"] = Data("hello".utf8).base64EncodedString() }
        var pair = base
        pair["user_token"] = Self.userToken
        pair["product_token"] = Self.productToken
        var twoFields = base
        twoFields["headers"] = [["Content-Type", "text/plain"], ["x-amz-security-token", Self.userToken],
                                ["x-amz-security-token", Self.productToken]]
        var oneField = base
        oneField["headers"] = [["Content-Type", "text/plain"], ["x-amz-security-token", Self.userToken + "," + Self.productToken]]

        func lines(_ objects: [[String: Any]]) throws -> Data {
            Data(try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
                .joined(separator: "\n").utf8 + [0x0A])
        }
        let ourInput = try lines([pair])
        let theirInput = try lines([pair, twoFields, oneField])
        let ours = try await offPool { try childOutput([DevPayProcess.executableURL.path, "sign"], input: ourInput) }
        let botocoreSign = BotocoreDifferentialTests.packageRoot.appendingPathComponent("scripts/botocore-sign").path
        let theirs = try await offPool { try childOutput(["python3", botocoreSign], input: theirInput) }
        let signatures = try (String(decoding: ours, as: UTF8.self) + String(decoding: theirs, as: UTF8.self))
            .split(separator: "\n").map { line in
                try #require(BotocoreDifferentialTests.signature(of: try BotocoreDifferentialTests.object(line), scheme: scheme))
            }
        #expect(signatures.count == 4)
        #expect(Set(signatures).count == 1, "\(signatures)")
    }
}
