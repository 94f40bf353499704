import Foundation
import Testing

/// Runs the real `devpay` binary, as a user would.
@Suite("devpay doctor")
struct DoctorCommandTests {
    @Test("doctor finds libcurl with TLS, OpenSSL 3 and libxml2 and exits 0")
    func doctorPasses() async throws {
        let result = try await DevPayProcess.run(["doctor"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.standardOutput.contains("ok   OpenSSL: OpenSSL 3."))
        #expect(result.standardOutput.contains("ok   libxml2: 2."))
        #expect(!result.standardOutput.contains("FAIL"))
    }

    @Test("the CLI is not dumpable: no core file and no ptrace of a process that holds secrets")
    func notDumpable() async throws {
        let result = try await DevPayProcess.run(["doctor"])
        #expect(result.standardOutput.contains("ok   core dumps and ptrace: off"), "\(result.standardOutput)")
    }

    @Test("an unknown subcommand is a usage error")
    func unknownSubcommand() async throws {
        let result = try await DevPayProcess.run(["no-such-command"])
        #expect(result.status == 64)
    }
}
