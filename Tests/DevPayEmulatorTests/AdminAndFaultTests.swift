import DevPayEmulator
import Foundation
import Testing

@Suite("emulator admin endpoints and fault injection")
struct AdminAndFaultTests {
    @Test("the JSON admin endpoints register, sell, move the clock and report the subscription")
    func adminOverHTTPS() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let json = ["Content-Type": "application/json"]
        let product = try await fixture.client.send("POST", fixture.url("/admin/products"), headers: fixture.admin(json),
                                                    body: Data(#"{"productCode":"774F4FF8"}"#.utf8))
        #expect(product.status == 200)
        #expect(product.text.contains("\"productToken\":\"{ProductToken}"))
        let purchase = try await fixture.client.send(
            "POST", fixture.url("/admin/purchases"), headers: fixture.admin(json),
            body: Data(#"{"productCode":"774F4FF8","customerID":"C1","scenario":{"subscribedAfter":{"seconds":900}}}"#.utf8))
        #expect(purchase.status == 200)
        let issued = try JSONDecoder.iso8601.decode(IssuedActivationKey.self, from: purchase.body)
        #expect(issued.activationKey.count == 28)
        #expect(issued.expiresAt == EmulatorFixture.epoch.addingTimeInterval(3600))

        let pending = try await fixture.client.send("GET", fixture.url("/admin/subscriptions?customerID=C1&productCode=774F4FF8"), headers: fixture.admin())
        #expect(pending.text.contains("\"status\":\"pending\""))
        let clock = try await fixture.client.send("POST", fixture.url("/admin/clock"), headers: fixture.admin(json),
                                                  body: Data(#"{"advanceSeconds":900}"#.utf8))
        #expect(clock.text.contains("\"frozen\":true"))
        let subscribed = try await fixture.client.send("GET", fixture.url("/admin/subscriptions?customerID=C1&productCode=774F4FF8"), headers: fixture.admin())
        #expect(subscribed.text.contains("\"status\":\"subscribed\""))

        let unknown = try await fixture.client.send("POST", fixture.url("/admin/purchases"), headers: fixture.admin(json),
                                                    body: Data(#"{"productCode":"NOPE"}"#.utf8))
        #expect(unknown.status == 404)
        let malformed = try await fixture.client.send("POST", fixture.url("/admin/purchases"), headers: fixture.admin(json),
                                                      body: Data("{".utf8))
        #expect(malformed.status == 400)
    }

    @Test("the admin API refuses a request without the server's token, or with a wrong one; health stays open")
    func adminNeedsToken() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let json = ["Content-Type": "application/json"]
        let (product, _) = try await fixture.purchased()
        let body = Data(#"{"productCode":"\#(product.productCode)"}"#.utf8)
        let anonymous = try await fixture.client.send("POST", fixture.url("/admin/purchases"), headers: json, body: body)
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"] == "Bearer")
        #expect(!anonymous.text.contains("activationKey"))
        let wrong = fixture.server.adminToken.dropLast() + (fixture.server.adminToken.hasSuffix("0") ? "1" : "0")
        for authorization in ["Bearer " + wrong, "Bearer", fixture.server.adminToken, "Basic " + fixture.server.adminToken] {
            let refused = try await fixture.client.send("POST", fixture.url("/admin/purchases"),
                                                        headers: json.merging(["Authorization": authorization]) { $1 }, body: body)
            #expect(refused.status == 401, "\(authorization)")
        }
        #expect(try await fixture.client.send("GET", fixture.url("/admin/clock")).status == 401)
        #expect(try await fixture.client.send("GET", fixture.url("/admin/health")).status == 200)
        let allowed = try await fixture.client.send("POST", fixture.url("/admin/purchases"), headers: fixture.admin(json), body: body)
        #expect(allowed.status == 200)
        // Random per server, never the seeded generator's: two servers with the same seed get different tokens.
        let twin = try await EmulatorFixture.start()
        defer { Task { await twin.server.stop() } }
        #expect(twin.server.adminToken != fixture.server.adminToken)
        #expect(fixture.server.adminToken.count == 64)
    }

    @Test("a scripted fault sequence answers 503 with and without Retry-After, drops, delays, then passes")
    func scriptedFaults() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        await fixture.server.setFaults(FaultPlan(target: .licenseService, script: [
            .serviceUnavailable(retryAfterSeconds: 7), .serviceUnavailable(retryAfterSeconds: nil), .dropConnection,
            .delay(milliseconds: 300),
        ]))
        let activation = [("Action", "ActivateDesktopProduct"), ("ActivationKey", key.activationKey),
                          ("ProductToken", product.productToken), ("Version", "2008-04-28")]
        let first = try await fixture.licenseService(activation)
        #expect(first.status == 503)
        #expect(first.headers["retry-after"] == "7")
        #expect(xmlText("Code", in: first.text) == "ServiceUnavailable")
        let second = try await fixture.licenseService(activation)
        #expect(second.status == 503)
        #expect(second.headers["retry-after"] == nil)
        let health = try await fixture.client.send("GET", fixture.url("/admin/health"))
        #expect(health.status == 200)  // admin requests are never faulted and consume no script entry
        let dropped = try await fixture.licenseService(activation)
        #expect(dropped.curlExitCode == 52)  // CURLE_GOT_NOTHING: the connection closed without an answer
        let started = ContinuousClock.now
        let delayed = try await fixture.licenseService(activation)
        #expect(delayed.status == 200)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(await fixture.server.faults().script.isEmpty)
        let after = try await fixture.licenseService(activation)
        #expect(after.status == 200)
    }

    @Test("a 503 rate of 1 refuses every request of its target and leaves the other service alone")
    func rateFaults() async throws {
        let fixture = try await EmulatorFixture.start()
        defer { Task { await fixture.server.stop() } }
        let (product, key) = try await fixture.purchased()
        let json = ["Content-Type": "application/json"]
        let set = try await fixture.client.send("PUT", fixture.url("/admin/faults"), headers: fixture.admin(json),
                                                body: Data(#"{"target":"s3","script":[],"unavailableRate":1,"retryAfterSeconds":2,"dropRate":0,"latencyMilliseconds":0}"#.utf8))
        #expect(set.status == 200)
        let s3 = try await fixture.client.send("GET", fixture.url("/"))
        #expect(s3.status == 503)
        #expect(xmlText("Code", in: s3.text) == "SlowDown")
        #expect(s3.headers["retry-after"] == "2")
        _ = try await fixture.activate(product, key)
        let cleared = try await fixture.client.send("DELETE", fixture.url("/admin/faults"), headers: fixture.admin())
        #expect(cleared.status == 204)
        let again = try await fixture.client.send("GET", fixture.url("/"))
        #expect(again.status == 403)  // unsigned: AccessDenied, no longer throttled
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
