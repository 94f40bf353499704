import Foundation
import Testing

/// `devpay demo`: the README's main command, run as a user runs it.
@Suite("devpay demo")
struct DemoCommandTests {
    @Test("demo exits 0 and shows the transitions from pending subscription to subscribed, expiry and reactivation")
    func demoRuns() async throws {
        let result = try await DevPayProcess.run(["demo", "--vetting-seconds", "2", "--token-lifetime", "4", "--log-level", "trace"])
        #expect(result.status == 0, "stdout: \(result.standardOutput)\nstderr: \(result.standardError.suffix(2000))")
        let output = result.standardOutput
        for expected in ["activating → activatedUnsubscribed", "→ subscribed", "uploaded notes/hello.txt",
                         "listed: notes/hello.txt", "(matches)", "→ expiredNeedsReactivation", "reactivating",
                         "Demo complete"] {
            #expect(output.contains(expected), "missing \(expected) in:\n\(output)")
        }
        let pending = try #require(output.range(of: "→ activatedUnsubscribed"))
        let subscribed = try #require(output.range(of: "→ subscribed"))
        #expect(pending.lowerBound < subscribed.lowerBound)
        #expect(!output.contains("{UserToken}") && !result.standardError.contains("{UserToken}"))
        #expect(!output.contains("{ProductToken}") && !result.standardError.contains("{ProductToken}"))
    }

    @Test("demo with SigV2 requests also exits 0")
    func demoWithSignatureVersion2() async throws {
        let result = try await DevPayProcess.run(["demo", "--vetting-seconds", "1", "--token-lifetime", "3", "--signature-version", "2"])
        #expect(result.status == 0, "\(result.standardOutput)\n\(result.standardError.suffix(2000))")
    }
}
