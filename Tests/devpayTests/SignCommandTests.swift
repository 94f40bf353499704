import Foundation
import Testing

/// Runs the real `devpay sign` binary on JSON Lines, as outside checkers do.
@Suite("devpay sign")
struct SignCommandTests {
    static let secret = "TEST" + String(repeating: "A", count: 36)
    static let accessKeyID = "TEST" + String(repeating: "A", count: 16)
    static let userToken = "{UserToken}TESTUSERTOKEN" + String(repeating: "A", count: 385) + "=="
    static let productToken = "{ProductToken}TESTPRODUCTTOKEN" + String(repeating: "A", count: 295) + "="
    static let docKey = ["access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]

    func run(_ lines: [[String: Any]], extraRawLines: [String] = []) async throws -> [[String: Any]] {
        var input = try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        input.insert(contentsOf: extraRawLines, at: min(1, input.count))
        let result = try await DevPayProcess.run(["sign"], input: Data((input.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 0, "stderr: \(result.standardError)")
        return try result.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func header(_ output: [String: Any], _ name: String) -> String? {
        (output["headers"] as? [[String]])?.first { $0[0].lowercased() == name.lowercased() }?[1]
    }

    @Test("every scheme signs its reference vector, one output line per input line, bad lines in between")
    func vectors() async throws {
        let lines: [[String: Any]] = [
            ["scheme": "s3v4", "method": "GET", "url": "https://examplebucket.s3.amazonaws.com/test.txt",
             "headers": [["Range", "bytes=0-9"]], "time": "2013-05-24T00:00:00Z"].merging(Self.docKey) { $1 },
            ["scheme": "s3v4-presign", "method": "GET", "url": "https://examplebucket.s3.amazonaws.com/test.txt",
             "time": "2013-05-24T00:00:00Z", "expires": 86400].merging(Self.docKey) { $1 },
            ["scheme": "s3v2", "method": "PUT", "url": "https://s3.amazonaws.com/lae-abcdefgh-MSEED/",
             "headers": [["Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="]], "time": "1970-01-01T00:00:00Z",
             "access_key_id": Self.accessKeyID, "secret_access_key": Self.secret,
             "user_token": Self.userToken, "product_token": Self.productToken],
            ["scheme": "lsv1", "url": "https://ls.amazonaws.com/", "time": "1970-01-01T00:00:00Z",
             "access_key_id": Self.accessKeyID, "secret_access_key": Self.secret,
             "params": ["Action": "VerifyProductSubscriptionByTokens", "Expires": "1970-01-01T00:15:00Z",
                        "ProductToken": Self.productToken, "UserToken": Self.userToken, "Version": "2008-04-28"]],
            ["scheme": "s3v4", "method": "PUT", "url": "https://examplebucket.s3.amazonaws.com/test%24file.text",
             "headers": [["Date", "Fri, 24 May 2013 00:00:00 GMT"], ["x-amz-storage-class", "REDUCED_REDUNDANCY"]],
             "body_base64": Data("Welcome to Amazon S3.".utf8).base64EncodedString(),
             "time": "2013-05-24T00:00:00Z"].merging(Self.docKey) { $1 },
        ]
        let outputs = try await run(lines, extraRawLines: ["not json", "{\"scheme\": \"s3v4\"}"])
        try #require(outputs.count == 7)
        #expect(header(outputs[0], "Authorization")?.hasSuffix(
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") == true)
        #expect(header(outputs[0], "X-Amz-Date") == "20130524T000000Z")
        #expect(outputs[1]["error"] as? String == "line is not a JSON object")
        #expect((outputs[2]["error"] as? String)?.hasPrefix("missing") == true)
        #expect((outputs[3]["url"] as? String)?.hasSuffix(
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404") == true)
        #expect(header(outputs[4], "Authorization") == "AWS \(Self.accessKeyID):NlnzOWOmMCut8/Opl26UpAAiIhE=")
        #expect(header(outputs[4], "x-amz-security-token") == Self.userToken + "," + Self.productToken)
        #expect((outputs[5]["url"] as? String)?.hasSuffix("&Signature=EoWZTlMO9qQA6Pbq5Ze4eHAlKZc%3D") == true)
        #expect((outputs[5]["url"] as? String)?.contains("Timestamp") == false)
        #expect(header(outputs[6], "Authorization")?.hasSuffix(
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd") == true)
    }

    @Test("bad input yields a typed error line without secrets, and the stream goes on")
    func badInput() async throws {
        let base: [String: Any] = ["scheme": "s3v4", "method": "GET", "url": "https://b.s3.amazonaws.com/k",
                                   "time": "2026-11-30T00:00:00Z", "access_key_id": "AKID",
                                   "secret_access_key": Self.secret, "user_token": Self.userToken,
                                   "product_token": Self.productToken]
        let lines: [[String: Any]] = [
            base.merging(["url": "https://b/a b"]) { $1 },
            base.merging(["headers": [["bad name", "v"]]]) { $1 },
            base.merging(["headers": [["x-amz-meta-a", "café"]]]) { $1 },
            base.merging(["secret_access_key": ""]) { $1 },
            base.merging(["scheme": "s3v4-presign", "expires": 604_801]) { $1 },
            base.merging(["time": "yesterday"]) { $1 },
            base.merging(["scheme": "sigv9"]) { $1 },
            base.merging(["scheme": "s3v2-presign"]) { $1 },
            base.merging(["scheme": "s3v4-chunked", "chunk_size": 100, "body_base64": "AAAA"]) { $1 },
        ]
        let outputs = try await run(lines)
        try #require(outputs.count == lines.count)
        let errors = outputs.map { $0["error"] as? String }
        #expect(errors[0]?.hasPrefix("malformed URL") == true)
        #expect(errors[1] == "invalid header name \"bad name\"")
        #expect(errors[2]?.contains("non-ASCII") == true)
        #expect(errors[3] == "missing secret access key")
        #expect(errors[4]?.contains("604801") == true)
        #expect(errors[5]?.hasPrefix("time must be") == true)
        #expect(errors[6]?.hasPrefix("unknown scheme") == true)
        #expect(errors[7] == nil, "s3v2-presign is an explicit opt-in")
        #expect(errors[8]?.contains("at least 8192") == true)
        for output in outputs.prefix(7) + outputs.suffix(1) {
            let text = String(describing: output)
            #expect(!text.contains(Self.secret) && !text.contains("TESTUSERTOKEN"))
        }
    }
}
