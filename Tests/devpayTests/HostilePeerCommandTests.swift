import DevPayTestSupport
import Foundation
import Testing

/// The release `devpay` against hostile or misconfigured peers on loopback (issue #22, items 5 and 6):
/// `scripts/http-test-server.py` plays a hostile S3 and a proxy.
@Suite("devpay against hostile servers and proxies")
struct HostilePeerCommandTests {
    static let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/http-test-server.py").path

    static let credentials = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "hostile-test-secret"]

    /// TCP connections the server accepted, asked over a connection of its own (counted too).
    static func acceptedConnections(_ server: PeerProcess) async throws -> Int {
        let output = try await offPool {
            try childOutput(["curl", "-s", "--noproxy", "*", "http://127.0.0.1:\(server.port)/connections"], input: Data())
        }
        return Int(String(decoding: output, as: UTF8.self)) ?? -1
    }

    @Test("an S3 error message with CR, LF, a C1 control and a bidi override is printed escaped, on one line")
    func hostileErrorTextEscaped() async throws {
        try await withPeer(try await PeerProcess.launch(["python3", Self.script], name: "http-test-server.py")) { server in
            let result = try await DevPayProcess.run(
                ["s3", "get", "hostile-s3", "key", "-", "--endpoint", "http://127.0.0.1:\(server.port)", "--allow-http"],
                environment: Self.credentials)
            #expect(result.status == 1)
            let stderr = result.standardError
            #expect(stderr.contains("InvalidRequest"), "\(stderr)")
            #expect(stderr.contains("denied\\u{D}\\u{A}devpay: everything is fine \\u{9B}31m\\u{202E}gnirts"), "\(stderr)")
            let unsafe = stderr.unicodeScalars.filter { scalar in
                scalar == "\r" || (0x80...0x9F).contains(scalar.value) || scalar.value == 0x202E
            }
            #expect(unsafe.isEmpty)
            #expect(stderr.split(separator: "\n").count == 1, "a server's line break faked an output line: \(stderr)")
        }
    }

    @Test("proxy variables of the environment are ignored: a plain-HTTP request never reaches that proxy")
    func environmentProxyIgnored() async throws {
        try await withPeer(try await PeerProcess.launch(["python3", Self.script], name: "http-test-server.py")) { proxy in
            let proxyURL = "http://127.0.0.1:\(proxy.port)"
            let result = try await DevPayProcess.run(
                ["s3", "ls", "--endpoint", "http://s3.victim.invalid", "--allow-http"],
                environment: Self.credentials.merging([
                    "http_proxy": proxyURL, "HTTPS_PROXY": proxyURL, "https_proxy": proxyURL, "ALL_PROXY": proxyURL,
                ]) { $1 })
            // Connected directly: the made-up host does not resolve.
            #expect(result.status == 69, "\(result.standardError)")
            // Only our own question reached the would-be proxy.
            #expect(try await Self.acceptedConnections(proxy) == 1)
        }
    }

    @Test("DEVPAY_PROXY with a plain-HTTP endpoint is refused before any I/O: the proxy would see the signature")
    func explicitProxyRefusesPlainHTTP() async throws {
        try await withPeer(try await PeerProcess.launch(["python3", Self.script], name: "http-test-server.py")) { proxy in
            let result = try await DevPayProcess.run(
                ["s3", "ls", "--endpoint", "http://s3.victim.invalid", "--allow-http"],
                environment: Self.credentials.merging(["DEVPAY_PROXY": "http://127.0.0.1:\(proxy.port)"]) { $1 })
            #expect(result.status == 64, "\(result.standardError)")
            #expect(result.standardError.contains("through a proxy refused"))
            #expect(try await Self.acceptedConnections(proxy) == 1)
        }
    }
}
