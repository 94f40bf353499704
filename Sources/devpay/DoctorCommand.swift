import ArgumentParser
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

    func run() throws {
        let curl = CurlLibraryInfo.current
        let checks: [(name: String, value: String, ok: Bool)] = [
            ("libcurl", curl.version, curl.version != "unknown"),
            ("libcurl TLS", curl.tlsBackend ?? "none", curl.tlsBackend != nil),
            ("libcurl HTTP/2", curl.supportsHTTP2 ? "yes" : "no", true),
            ("OpenSSL", CryptoLibraryInfo.version, CryptoLibraryInfo.version.hasPrefix("OpenSSL 3.")),
            ("libxml2", XMLLibraryInfo.version, XMLLibraryInfo.version.hasPrefix("2.")),
            ("SHA-256 self-test", "abc", SHA256.hexDigest(Array("abc".utf8)).hasPrefix("ba7816bf")),
        ]
        for check in checks {
            print("\(check.ok ? "ok  " : "FAIL") \(check.name): \(check.value)")
        }
        if checks.contains(where: { !$0.ok }) {
            throw ExitCode.failure
        }
    }
}
