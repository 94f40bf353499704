import DevPayEmulator
import Foundation
import Testing

@Suite("emulator S3 against botocore, an independent signer")
struct BotocoreS3Tests {
    @Test("accepts SigV2 and SigV4 (header and presigned) from botocore with the DevPay token pair, rejects tampering")
    func botocoreSignedRequests() async throws {
        // botocore reads the real clock, so the emulator follows it too.
        let fixture = try await EmulatorFixture.start(clock: .live)
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let credentials = try await fixture.activate(product, key)
        let steps = try await BotocorePeer.run(
            endpoint: fixture.server.baseURL, caFile: fixture.server.caCertificateFile,
            accessKeyID: credentials.accessKeyID, secret: credentials.secret, userToken: credentials.userToken,
            productToken: product.productToken, bucket: "devpay-botocore")

        func expect(_ name: String, _ status: Int, _ code: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
            let step = steps[name]
            #expect(step?.status == status, "\(name): \(step?.body ?? "no step")", sourceLocation: sourceLocation)
            if let code { #expect(step?.code == code, "\(name)", sourceLocation: sourceLocation) }
        }
        expect("v4 create bucket", 200)
        expect("v4 put object", 200)
        expect("v2 put object", 200)
        expect("v4 get object", 200)
        #expect(steps["v4 get object"]?.body == "hello from botocore")
        expect("v2 get object", 200)
        #expect(steps["v2 get object"]?.body == "signed with HmacV1")
        expect("v4 presigned get", 200)
        expect("v2 presigned get", 200)
        expect("v4 list objects", 200)
        #expect(steps["v4 list objects"]?.body.contains("<Key>notes/hello world.txt</Key>") == true)
        expect("v2 list buckets", 200)
        #expect(steps["v2 list buckets"]?.body.contains("<Name>devpay-botocore</Name>") == true)
        expect("v4 head object", 200)
        expect("v2 delete object", 204)

        expect("tampered v4 path", 403, "SignatureDoesNotMatch")
        expect("tampered v2 date", 403, "SignatureDoesNotMatch")
        expect("tampered v4 presigned expiry", 403, "SignatureDoesNotMatch")
        expect("tampered v4 body", 400, "XAmzContentSHA256Mismatch")
        expect("tampered v2 token", 403, "SignatureDoesNotMatch")
        expect("wrong secret v4", 403, "SignatureDoesNotMatch")
        expect("unknown key v2", 403, "InvalidAccessKeyId")
        expect("user token only v4", 400, "MissingSecurityHeader")
        expect("forged user token v4", 400, "InvalidToken")
    }
}
