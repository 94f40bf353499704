import DevPayEmulator
import Foundation
import Testing

@Suite("emulator S3: DevPay rules and the object subset")
struct S3BehaviourTests {
    @Test("a customer still in card vetting gets AccessDenied until subscribed")
    func notSubscribedIsAccessDenied() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased(scenario: .subscribedAfter(seconds: 900))
        let customer = try await fixture.customer(product, key)
        let early = try await fixture.s3("GET", "/", customer)
        #expect(early.status == 403)
        #expect(xmlText("Code", in: early.text) == "AccessDenied")
        try await fixture.server.advanceClock(by: 900)
        #expect(try await fixture.s3("GET", "/", customer).status == 200)
        try await fixture.server.setSubscriptionScenario(.paymentFailed, customerID: key.customerID)
        #expect(xmlText("Code", in: try await fixture.s3("GET", "/", customer).text) == "AccessDenied")
    }

    @Test("a user token past TokenExpiration is ExpiredToken; the other device's set still works")
    func expiredToken() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let laptop = try await fixture.customer(product, key, tokenExpiration: 600)
        let desktop = try await fixture.customer(product, key)
        #expect(try await fixture.s3("PUT", "/shared-bucket", laptop).status == 200)
        try await fixture.server.advanceClock(by: 600)
        let expired = try await fixture.s3("GET", "/shared-bucket", laptop)
        #expect(expired.status == 400)
        #expect(xmlText("Code", in: expired.text) == "ExpiredToken")
        // Same customer and product: the desktop's set sees the laptop's bucket.
        #expect(try await fixture.s3("GET", "/shared-bucket?list-type=2", desktop).status == 200)
    }

    @Test("requests more than 15 minutes off the emulator clock are RequestTimeTooSkewed",
          arguments: [-960.0, -840.0, 840.0, 960.0])
    func clockSkew(_ offset: Double) async throws {
        let status = abs(offset) > 900 ? 403 : 200
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let customer = try await fixture.customer(product, key)
        for scheme in [EmulatorFixture.Scheme.sigV4, .sigV2] {
            let reply = try await fixture.s3("GET", "/", customer, scheme: scheme,
                                             at: EmulatorFixture.epoch.addingTimeInterval(offset))
            #expect(reply.status == status)
            if status == 403 { #expect(xmlText("Code", in: reply.text) == "RequestTimeTooSkewed") }
        }
    }

    @Test("objects round-trip with SigV2 and SigV4; ETag is the MD5; HEAD and DELETE behave")
    func objectRoundTrip() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let customer = try await fixture.customer(product, key)
        #expect(try await fixture.s3("PUT", "/photos", customer, scheme: .sigV2).status == 200)
        let body = Data("hello, DevPay".utf8)
        let put = try await fixture.s3("PUT", "/photos/2026/cat.txt", body: body, customer, scheme: .sigV2)
        #expect(put.status == 200)
        #expect(put.headers["etag"] == "\"37435472a861bd9b677fd8dfbe1aec8b\"")  // md5sum of the body
        let get = try await fixture.s3("GET", "/photos/2026/cat.txt", customer)
        #expect(get.body == body)
        #expect(get.headers["etag"] == put.headers["etag"])
        let head = try await fixture.s3("HEAD", "/photos/2026/cat.txt", customer)
        #expect(head.status == 200)
        #expect(head.headers["content-length"] == String(body.count))
        #expect(try await fixture.s3("DELETE", "/photos", customer).status == 409)  // BucketNotEmpty
        #expect(try await fixture.s3("DELETE", "/photos/2026/cat.txt", customer).status == 204)
        let gone = try await fixture.s3("GET", "/photos/2026/cat.txt", customer)
        #expect(gone.status == 404)
        let headGone = try await fixture.s3("HEAD", "/photos/2026/cat.txt", customer)
        #expect(headGone.status == 404 && headGone.curlExitCode == 0 && !headGone.text.contains("<Error>"))
        #expect(xmlText("Code", in: gone.text) == "NoSuchKey")
        #expect(try await fixture.s3("DELETE", "/photos", customer).status == 204)
        #expect(xmlText("Code", in: try await fixture.s3("GET", "/photos?list-type=2", customer).text) == "NoSuchBucket")
    }

    @Test("another customer's bucket is AccessDenied and its name is taken")
    func bucketOwnership() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, aliceKey) = try await fixture.purchased()
        let bobKey = try await fixture.server.purchase(productCode: product.productCode)
        let alice = try await fixture.customer(product, aliceKey)
        let bob = try await fixture.customer(product, bobKey)
        #expect(try await fixture.s3("PUT", "/alice-bucket", alice).status == 200)
        #expect(xmlText("Code", in: try await fixture.s3("PUT", "/alice-bucket", alice).text) == "BucketAlreadyOwnedByYou")
        #expect(xmlText("Code", in: try await fixture.s3("PUT", "/alice-bucket", bob).text) == "BucketAlreadyExists")
        #expect(xmlText("Code", in: try await fixture.s3("GET", "/alice-bucket?list-type=2", bob).text) == "AccessDenied")
        #expect(try await fixture.s3("GET", "/", bob).text.contains("alice-bucket") == false)
        // The admin API's answer (no admin token), not a bucket's.
        #expect(try await fixture.s3("PUT", "/admin", alice).status == 401)
        #expect(xmlText("Code", in: try await fixture.s3("PUT", "/No", alice).text) == "InvalidBucketName")
    }

    @Test("ListObjectsV2 pages with continuation tokens and groups common prefixes")
    func listing() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let customer = try await fixture.customer(product, key)
        #expect(try await fixture.s3("PUT", "/list-bucket", customer).status == 200)
        for name in ["a.txt", "b.txt", "dir/1.txt", "dir/2.txt", "z.txt"] {
            #expect(try await fixture.s3("PUT", "/list-bucket/\(name)", body: Data(name.utf8), customer).status == 200)
        }
        let first = try await fixture.s3("GET", "/list-bucket?delimiter=%2F&list-type=2&max-keys=2", customer)
        #expect(xmlText("IsTruncated", in: first.text) == "true")
        #expect(xmlText("KeyCount", in: first.text) == "2")
        let token = try #require(xmlText("NextContinuationToken", in: first.text))
        let second = try await fixture.s3(
            "GET", "/list-bucket?continuation-token=\(encode(token))&delimiter=%2F&list-type=2&max-keys=2", customer)
        #expect(second.text.contains("<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"))
        #expect(second.text.contains("<Key>z.txt</Key>"))
        #expect(xmlText("IsTruncated", in: second.text) == "false")
        let prefixed = try await fixture.s3("GET", "/list-bucket?list-type=2&prefix=dir%2F", customer)
        #expect(xmlText("KeyCount", in: prefixed.text) == "2")
        // S3's time format, on the (frozen) emulator clock.
        #expect(xmlText("LastModified", in: prefixed.text) == "2027-01-15T08:00:00.000Z")
        let buckets = try await fixture.s3("GET", "/", customer)
        #expect(xmlText("CreationDate", in: buckets.text) == "2027-01-15T08:00:00.000Z")
        let head = try await fixture.s3("HEAD", "/list-bucket/a.txt", customer)
        #expect(head.headers["last-modified"] == "Fri, 15 Jan 2027 08:00:00 GMT")
    }

    @Test("objects on disk survive a restart of a folder-backed emulator")
    func objectsPersist() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emu-objects-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try await EmulatorFixture.start(stateFolder: folder)
        let (product, key) = try await first.purchased()
        let customer = try await first.customer(product, key)
        #expect(try await first.s3("PUT", "/kept", customer).status == 200)
        #expect(try await first.s3("PUT", "/kept/file.bin", body: Data([0, 1, 2, 255]), customer).status == 200)
        await first.server.stop()
        let second = try await EmulatorFixture.start(stateFolder: folder)
        defer { Task { await second.server.stop() } }
        #expect(try await second.s3("GET", "/kept/file.bin", customer).body == Data([0, 1, 2, 255]))
    }
}

@Suite("emulator S3: token refresh and token header forms")
struct S3TokenTests {
    @Test("a set marked for refresh gets TokenRefreshRequired until RefreshUserToken, then works with the new token")
    func tokenRefreshRequired() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        var customer = try await fixture.customer(product, key)
        #expect(try await fixture.server.requireTokenRefresh(customerID: key.customerID) == 1)
        let refused = try await fixture.s3("GET", "/", customer)
        #expect(refused.status == 400)
        #expect(xmlText("Code", in: refused.text) == "TokenRefreshRequired")
        let refreshed = try await fixture.signedLicenseService("RefreshUserToken", customer)
        customer.userToken = try #require(xmlText("UserToken", in: refreshed.text))
        #expect(try await fixture.s3("GET", "/", customer).status == 200)
    }

    @Test("the two tokens may come as two x-amz-security-token fields: both sign like the comma-joined one",
          arguments: [EmulatorFixture.Scheme.sigV4, .sigV2])
    func twoTokenFields(_ scheme: EmulatorFixture.Scheme) async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let customer = try await fixture.customer(product, key)
        let reply = try await fixture.s3("GET", "/", customer, scheme: scheme, splittingTokenFields: true)
        #expect(reply.status == 200, "\(reply.text)")
    }
}
