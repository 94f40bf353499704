import ArgumentParser
import CDevPayProcess
import DevPayHTTP
import DevPayLicenseService
import DevPaySigning
import DevPayXML

/// `devpay doctor`: shows the system libraries DevPayKit runs on, and fails when one is unusable.
struct DoctorCommand: ParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the system libraries DevPayKit needs (libcurl with TLS, OpenSSL 3, libxml2)."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the checks as one JSON object.")
    var json = false

    /// One line of the report.
    struct Check: Encodable {
        var name: String
        var value: String
        var ok: Bool
    }

    func run() throws {
        let curl = CurlLibraryInfo.current
        let checks = [
            Check(name: "libcurl", value: curl.version, ok: curl.version != "unknown"),
            Check(name: "libcurl TLS", value: curl.tlsBackend ?? "none", ok: curl.tlsBackend != nil),
            Check(name: "libcurl HTTP/2", value: curl.supportsHTTP2 ? "yes" : "no", ok: true),
            Check(name: "OpenSSL", value: CryptoLibraryInfo.version, ok: CryptoLibraryInfo.version.hasPrefix("OpenSSL 3.")),
            Check(name: "libxml2", value: XMLLibraryInfo.version, ok: XMLLibraryInfo.version.hasPrefix("2.")),
            Check(name: "SHA-256 self-test", value: "abc",
                  ok: SHA256.hexDigest(Array("abc".utf8)).hasPrefix("ba7816bf")),
            // `main` turned these off before parsing; Linux only (elsewhere the call does not exist).
            Check(name: "core dumps and ptrace", value: devpay_is_dumpable() == 0 ? "off" : "on",
                  ok: devpay_is_dumpable() != 1),
        ]
        if json {
            struct Report: Encodable {
                var ok: Bool
                var checks: [Check]
            }
            try JSONOutput.print(Report(ok: checks.allSatisfy(\.ok), checks: checks))
        } else {
            for check in checks {
                print("\(check.ok ? "ok  " : "FAIL") \(check.name): \(check.value)")
            }
        }
        if checks.contains(where: { !$0.ok }) {
            throw ExitCode.failure
        }
    }
}
