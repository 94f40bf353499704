import DevPayTestSupport
import Foundation
import PropertyBased
import Testing

/// Differential property test: thousands of random S3 requests signed by `devpay sign` and by botocore
/// (`scripts/botocore-sign`, an independent implementation) must carry the same signatures. The seed is
/// printed and in every failure; replay with `DEVPAY_DIFF_SEED=<seed>`, size with `DEVPAY_DIFF_COUNT`.
@Suite("devpay sign agrees with botocore")
struct BotocoreDifferentialTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var botocoreAvailable: Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import botocore"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    @Test("random S3 requests: SigV4 header and presigned, SigV2 header and presigned")
    func agreesWithBotocore() async throws {
        guard Self.botocoreAvailable else {
            // scripts/install-dependencies installs botocore; CI must never skip this silently.
            Issue.record("python3 with botocore is not installed: run scripts/install-dependencies")
            return
        }
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["DEVPAY_DIFF_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        let count = environment["DEVPAY_DIFF_COUNT"].flatMap(Int.init) ?? 3000
        print("botocore differential test: seed \(seed), \(count) requests (replay: DEVPAY_DIFF_SEED=\(seed))")

        var generator = RandomS3Requests(seed: seed)
        let cases = (0..<count).map { _ in generator.next() }
        let input = Data(try cases.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            .joined(separator: "\n").utf8 + [0x0A])

        let devpay = DevPayProcess.executableURL.path
        let ours = String(decoding: try await offPool { try childOutput([devpay, "sign"], input: input) }, as: UTF8.self)
        let botocoreSign = Self.packageRoot.appendingPathComponent("scripts/botocore-sign").path
        let theirs = String(decoding: try await offPool { try childOutput(["python3", botocoreSign], input: input) },
                            as: UTF8.self)
        let ourLines = ours.split(separator: "\n")
        let theirLines = theirs.split(separator: "\n")
        try #require(ourLines.count == count && theirLines.count == count, "seed \(seed)")

        var mismatches = 0
        var checked: [String: Int] = [:]
        for index in 0..<count {
            let mine = try Self.object(ourLines[index])
            let reference = try Self.object(theirLines[index])
            let scheme = cases[index]["scheme"] as! String
            let ourSignature = Self.signature(of: mine, scheme: scheme)
            let theirSignature = Self.signature(of: reference, scheme: scheme)
            if ourSignature == nil || ourSignature != theirSignature {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("""
                        seed \(seed), case \(index) (\(scheme)) differs:
                        input: \(String(decoding: try JSONSerialization.data(withJSONObject: cases[index]), as: UTF8.self))
                        devpay:   \(ourLines[index])
                        botocore: \(theirLines[index])
                        """)
                }
            } else {
                checked[scheme, default: 0] += 1
            }
        }
        #expect(mismatches == 0, "seed \(seed): \(mismatches) of \(count) requests differ")
        // Every scheme must really have been exercised, or the property says little.
        for scheme in RandomS3Requests.schemes {
            #expect(checked[scheme, default: 0] > count / 10, "seed \(seed): too few \(scheme) cases agreed")
        }
    }

    static func object(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// The signature a scheme produces: the Authorization header, or the URL's signature parameter.
    static func signature(of output: [String: Any], scheme: String) -> String? {
        switch scheme {
        case "s3v4", "s3v2":
            return (output["headers"] as? [[String]])?.first { $0[0].lowercased() == "authorization" }?[1]
        default:
            let name = scheme == "s3v4-presign" ? "X-Amz-Signature=" : "Signature="
            guard let url = output["url"] as? String, let query = url.split(separator: "?", maxSplits: 1).last else { return nil }
            return query.split(separator: "&").first { $0.hasPrefix(name) }.map(String.init)
        }
    }
}

/// Random S3 requests in the `devpay sign` input contract, drawn with swift-property-based generators from
/// a seeded Xoshiro: unicode and reserved characters in keys, repeated query keys, odd header spacing,
/// every method, tokens of 400+ characters and DevPay token pairs.
struct RandomS3Requests {
    static let schemes = ["s3v4", "s3v4-presign", "s3v2", "s3v2-presign"]
    static let methods = ["GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH"]
    static let hosts = [("https", "s3.amazonaws.com", false), ("http", "127.0.0.1:9000", false),
                        ("https", "my-bucket.s3.us-west-2.amazonaws.com", true),
                        ("https", "Examplebucket.s3.amazonaws.com:443", true), ("http", "localhost:8333", false)]
    /// Characters keys are made of: unreserved, sub-delimiters, space, percent, and multi-byte UTF-8.
    static let keyCharacters: [Character] = Array("abcXYZ019-._~!$&'()*+,;=:@ %?#[]^`{}|\"<>\\éßሴ中😀\u{7F}")
    static let queryNames = ["prefix", "max-keys", "delimiter", "marker", "list-type", "versionId", "uploadId",
                             "partNumber", "acl", "tagging", "uploads", "response-content-type", "x-id", "ünï", "a b"]
    static let tokenAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")

    private var rng: Xoshiro

    init(seed: UInt64) {
        var state = seed
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        rng = Xoshiro(seed: (splitMix(), splitMix(), splitMix(), splitMix()))
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Gen.int(in: range).run(using: &rng) }
    private mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
    private mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }

    private mutating func text(_ alphabet: [Character], _ length: ClosedRange<Int>) -> String {
        String((0..<int(length)).map { _ in pick(alphabet) })
    }

    /// RFC 3986 encoding with upper-case hex: the canonical wire form of a query component.
    static func encodeStrict(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let scalar = UnicodeScalar(byte)
            if byte < 0x80, CharacterSet.alphanumerics.contains(scalar) || "-._~".unicodeScalars.contains(scalar) {
                output.unicodeScalars.append(scalar)
            } else {
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }

    /// A path segment as a client might send it: sub-delimiters sometimes left bare, escapes sometimes in
    /// lower case, everything a URL cannot carry encoded.
    private mutating func pathSegment() -> String {
        var output = ""
        for character in text(Self.keyCharacters, 0...12) {
            for byte in String(character).utf8 {
                let scalar = UnicodeScalar(byte)
                let bare = byte < 0x80 && (CharacterSet.alphanumerics.contains(scalar) || "-._~!$&'()*+,;=:@".unicodeScalars.contains(scalar))
                if bare && !chance(20) {
                    output.unicodeScalars.append(scalar)
                } else {
                    output += String(format: chance(20) ? "%%%02x" : "%%%02X", byte)
                }
            }
        }
        return output
    }

    private mutating func spaced(_ value: String) -> String {
        let spaces = [" ", "  ", "\t", " \t ", ""]
        var words = value.split(separator: " ").map(String.init)
        if words.isEmpty { words = [value] }
        return pick(spaces) + words.map { $0 + pick([" ", "   ", "\t", " \t"]) }.joined().dropLast() + pick(spaces)
    }

    mutating func next() -> [String: Any] {
        let scheme = pick(Self.schemes)
        let (urlScheme, host, virtual) = pick(Self.hosts)
        var path = virtual ? "" : "/bucket-\(int(0...9))"
        for _ in 0..<int(1...4) { path += "/" + (chance(10) ? pick([".", "..", ""]) : pathSegment()) }

        var query: [String] = []
        var usedNames = Set<String>()
        for _ in 0..<int(0...4) {
            let name = pick(Self.queryNames)
            // botocore's presigner keeps one value per name; repeat names only where it keeps them all.
            if scheme == "s3v4-presign", usedNames.contains(name) { continue }
            usedNames.insert(name)
            switch int(0...2) {
            case 0: query.append(Self.encodeStrict(name))
            case 1: query.append(Self.encodeStrict(name) + "=")
            default: query.append(Self.encodeStrict(name) + "=" + Self.encodeStrict(text(Self.keyCharacters, 1...10)))
            }
        }
        let url = "\(urlScheme)://\(host)\(path)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))

        var headers: [[String]] = []
        let printable = Array("abcdefghijKLMNOP0123456789 -_.,;:=/()\"'!*+?")
        for _ in 0..<int(0...5) {
            switch int(0...6) {
            case 0: headers.append(["Content-Type", spaced(pick(["text/plain", "application/octet-stream", "image/png; q=1"]))])
            case 1: headers.append(["Range", "bytes=0-\(int(0...99999))"])
            case 2, 3: headers.append([pick(["x-amz-meta-", "X-Amz-Meta-", "X-AMZ-META-"]) + pick(["a", "b", "dup", "Long-Name"]),
                                       spaced(text(printable, 0...30))])
            case 4: headers.append([pick(["Cache-Control", "Content-Language", "If-None-Match"]), spaced(text(printable, 1...20))])
            case 5: headers.append(["User-Agent", "test/1.0 " + text(printable, 0...10)])
            default: headers.append(["x-amz-acl", pick(["private", "public-read", "bucket-owner-full-control"])])
            }
        }
        if scheme.hasPrefix("s3v2"), chance(30) {
            headers.append(["Content-MD5", Data((0..<16).map { _ in UInt8(int(0...255)) }).base64EncodedString()])
        }
        if scheme.hasPrefix("s3v2") {
            // Content-Type/MD5 once only: botocore writes one string-to-sign line per repeated field.
            var seen = Set<String>()
            headers = headers.filter { header in
                let name = header[0].lowercased()
                guard name == "content-type" || name == "content-md5" else { return true }
                return seen.insert(name).inserted
            }
        }

        let year = int(2010...2030)
        var line: [String: Any] = [
            "scheme": scheme, "method": pick(Self.methods), "url": url, "headers": headers,
            "access_key_id": "AKIA" + text(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16...16),
            "secret_access_key": text(Self.tokenAlphabet, 40...40),
            "region": pick(["us-east-1", "eu-west-1", "ap-southeast-2"]),
            "time": String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, int(1...12), int(1...28), int(0...23),
                           int(0...59), int(0...59)),
        ]
        switch int(0...2) {
        case 0: break
        case 1: line["session_token"] = text(Self.tokenAlphabet, 400...900)
        default:
            line["user_token"] = "{UserToken}" + text(Self.tokenAlphabet, 400...600)
            line["product_token"] = "{ProductToken}" + text(Self.tokenAlphabet, 300...400)
        }
        if scheme == "s3v4" {
            if chance(50) { line["body_base64"] = Data((0..<int(0...300)).map { _ in UInt8(int(0...255)) }).base64EncodedString() }
            line["unsigned_payload"] = chance(30)
        }
        if scheme.hasSuffix("presign") { line["expires"] = int(1...604_800) }
        return line
    }
}
