import DevPaySigning
import Testing

@Suite("SigV4: tokens, verification and bad input")
struct SigV4BehaviourTests {
    let time: SigningTime
    let devPay = SigningCredentials.devPay(
        accessKeyID: ProtocolDocVectors.accessKeyID, secretAccessKey: ProtocolDocVectors.secretAccessKey,
        userToken: ProtocolDocVectors.userToken, productToken: ProtocolDocVectors.productToken)

    init() throws {
        time = try SigningTime(iso8601: "2026-11-30T03:00:00Z")
    }

    @Test("the DevPay pair is sent and signed as one x-amz-security-token, user token first")
    func devPayHeader() throws {
        var request = try SigningRequest(method: "GET", url: "https://lae-abcdefgh-mseed.s3.amazonaws.com/a.txt")
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        try signer.sign(&request, at: time, payload: .unsigned)
        let expected = ProtocolDocVectors.userToken + "," + ProtocolDocVectors.productToken
        #expect(request.headers.filter { $0.name.lowercased() == "x-amz-security-token" } == [
            HTTPHeader("X-Amz-Security-Token", expected),
        ])
        #expect(signer.lastCanonicalRequest.contains("\nx-amz-security-token:\(expected)\n"))
        #expect(signer.lastCanonicalRequest.contains("host;x-amz-content-sha256;x-amz-date;x-amz-security-token\nUNSIGNED-PAYLOAD"))
    }

    @Test("two x-amz-security-token fields sign exactly like the joined value")
    func twoTokenFieldsSignLikeOne() throws {
        let bare = SigningCredentials(accessKeyID: ProtocolDocVectors.accessKeyID,
                                      secretAccessKey: ProtocolDocVectors.secretAccessKey)
        var twoFields = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/k", headers: [
            HTTPHeader("x-amz-security-token", ProtocolDocVectors.userToken),
            HTTPHeader("x-amz-security-token", ProtocolDocVectors.productToken),
        ])
        var joined = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/k")
        try SigV4Signer(credentials: bare, region: "us-east-1").sign(&twoFields, at: time, payload: .unsigned)
        try SigV4Signer(credentials: devPay, region: "us-east-1").sign(&joined, at: time, payload: .unsigned)
        #expect(twoFields.signatureForTests == joined.signatureForTests)
    }

    @Test("a presigned DevPay URL carries the pair as X-Amz-Security-Token in the signed query")
    func devPayPresigned() throws {
        var request = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/k")
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        try signer.presign(&request, at: time, expires: 60)
        #expect(request.query.contains("&X-Amz-Security-Token=%7BUserToken%7DTESTUSERTOKENAAA"))
        #expect(request.query.contains("%3D%3D%2C%7BProductToken%7D"))
        #expect(signer.lastCanonicalRequest.contains("X-Amz-Security-Token=%7BUserToken%7D"))
    }

    @Test("a server recomputes the signature of a signed request from what it received")
    func verificationRoundTrip() throws {
        var request = try SigningRequest(method: "PUT", url: "http://127.0.0.1:9000/bucket/a%20b/c.txt?partNumber=1&uploadId=x",
                                         headers: [HTTPHeader("Content-Type", "text/plain"), HTTPHeader("x-amz-meta-a", "  one   two ")])
        let body = Array("hello".utf8)
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        try signer.sign(&request, at: time, payload: .hash(of: body))
        let header = try #require(request.headers.first { $0.name == "Authorization" }).value
        let authorization = try SigV4Authorization(headerValue: header)
        #expect(authorization.accessKeyID == ProtocolDocVectors.accessKeyID)
        #expect(authorization.signedHeaders == ["content-type", "host", "x-amz-content-sha256", "x-amz-date",
                                                "x-amz-meta-a", "x-amz-security-token"])
        let received = SigningRequest(method: "PUT", scheme: "http", authority: "127.0.0.1:9000", path: request.path,
                                      query: request.query, headers: request.headers.filter { $0.name != "Authorization" })
        let computed = try SigV4.expectedSignature(
            for: received, authorization: authorization, amzDate: time.amzDate,
            payloadHash: SigV4Payload.hash(of: body).value, secretAccessKey: ProtocolDocVectors.secretAccessKey)
        #expect(computed.canonicalRequest == signer.lastCanonicalRequest)
        #expect(SigV4.isSameSignature(computed.signature, authorization.signature))

        var tampered = received
        tampered.path = "/bucket/a%20b/d.txt"
        let wrong = try SigV4.expectedSignature(
            for: tampered, authorization: authorization, amzDate: time.amzDate,
            payloadHash: SigV4Payload.hash(of: body).value, secretAccessKey: ProtocolDocVectors.secretAccessKey)
        #expect(!SigV4.isSameSignature(wrong.signature, authorization.signature))
    }

    @Test("a server verifies a presigned URL, the signature parameter left out")
    func presignedVerification() throws {
        var request = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/k?versionId=3")
        let signer = try SigV4Signer(credentials: devPay, region: "eu-west-1")
        try signer.presign(&request, at: time, expires: 3600)
        let authorization = try SigV4Authorization(presignedQuery: request.query)
        #expect(authorization.expires == 3600)
        #expect(authorization.amzDate == time.amzDate)
        #expect(authorization.region == "eu-west-1")
        let computed = try SigV4.expectedSignature(
            for: request, authorization: authorization, amzDate: time.amzDate, payloadHash: "UNSIGNED-PAYLOAD",
            secretAccessKey: ProtocolDocVectors.secretAccessKey)
        #expect(computed.signature == authorization.signature)
    }

    @Test("S3 paths are signed as sent: no normalisation, no double encoding")
    func s3PathRule() throws {
        var request = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/my-object//example//photo.user/./%2E%2E/a%2Fb")
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        try signer.sign(&request, at: time, payload: .unsigned)
        #expect(signer.lastCanonicalRequest.hasPrefix("GET\n/my-object//example//photo.user/./%2E%2E/a%2Fb\n"))
    }

    @Test("the canonical query sorts by key then value, keeps empty values and re-encodes escapes")
    func canonicalQuery() throws {
        var request = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/?b=2&a=z&a=&a=y&c&d=%7e%2b+")
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        try signer.sign(&request, at: time, payload: .unsigned)
        #expect(signer.lastCanonicalRequest.hasPrefix("GET\n/\na=&a=y&a=z&b=2&c=&d=~%2B%2B\n"))
    }

    @Test("a warm signer keeps giving the same signature (buffers and key cache reused)")
    func reuse() throws {
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        let request = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/k", headers: [HTTPHeader("Range", "bytes=0-1")])
        let first = try signer.withAuthorization(for: request, at: time, payload: .unsigned) { String(decoding: $0, as: UTF8.self) }
        for _ in 0..<3 {
            let again = try signer.withAuthorization(for: request, at: time, payload: .unsigned) { String(decoding: $0, as: UTF8.self) }
            #expect(again == first)
        }
        let nextDay = try time.adding(seconds: 86_400)
        let other = try signer.withAuthorization(for: request, at: nextDay, payload: .unsigned) { String(decoding: $0, as: UTF8.self) }
        #expect(other != first)
        let back = try signer.withAuthorization(for: request, at: time, payload: .unsigned) { String(decoding: $0, as: UTF8.self) }
        #expect(back == first)
    }

    @Test("one signer across seconds, days, forms and new credentials signs exactly like fresh signers")
    func cachesNeverLeak() throws {
        // The signer caches the day's key and the string to sign's first lines per second; every step
        // below changes what one of those caches depends on, and a fresh signer (no cache) is the oracle.
        let other = SigningCredentials(accessKeyID: "AKIDOTHER", secretAccessKey: "another secret",
                                       securityToken: .session("token"))
        let request = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/k?x=1",
                                         headers: [HTTPHeader("Range", "bytes=0-1")])
        let steps: [(SigningCredentials, SigningTime, presigned: Bool)] = [
            (devPay, time, false), (devPay, time, false), (devPay, try time.adding(seconds: 1), false),
            (devPay, try time.adding(seconds: 1), true), (devPay, try time.adding(seconds: 86_400), false),
            (devPay, time, true), (other, time, false), (other, time, true), (devPay, time, false),
        ]
        let reused = try SigV4Signer(credentials: devPay, region: "eu-west-1")
        for (index, (credentials, at, presigned)) in steps.enumerated() {
            if reused.credentials != credentials { try reused.update(credentials: credentials) }
            let fresh = try SigV4Signer(credentials: credentials, region: "eu-west-1")
            if presigned {
                var mine = request, expected = request
                try reused.presign(&mine, at: at, expires: 60)
                try fresh.presign(&expected, at: at, expires: 60)
                #expect(mine.query == expected.query, "step \(index)")
            } else {
                let mine = try reused.withAuthorization(for: request, at: at, payload: .unsigned) { Array($0) }
                let expected = try fresh.withAuthorization(for: request, at: at, payload: .unsigned) { Array($0) }
                #expect(mine == expected, "step \(index)")
                #expect(reused.lastStringToSign == fresh.lastStringToSign, "step \(index)")
            }
        }
    }

    @Test("presign expiry must be 1 second to 7 days", arguments: [0, -1, 604_801, 1_000_000])
    func presignExpiry(_ seconds: Int) throws {
        var request = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/k")
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        #expect(throws: SigningError.presignExpiryOutOfRange(seconds: seconds)) {
            try signer.presign(&request, at: time, expires: seconds)
        }
        try signer.presign(&request, at: time, expires: 604_800)
    }

    @Test("malformed URLs are typed errors", arguments: [
        "b.s3.amazonaws.com/k", "ftp://b/k", "https:///k", "https://b/k#frag", "https://b/a b", "https://b/ሴ",
        "https://user@b/k", "https://b/%zz", "https://b/%4", "",
    ])
    func malformedURL(_ url: String) {
        #expect {
            try SigningRequest(method: "GET", url: url)
        } throws: { error in
            if case .malformedURL = error as? SigningError { return true }
            return false
        }
    }

    @Test("illegal header names, non-ASCII or control characters in values, bad methods are typed errors")
    func badHeaders() throws {
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        func sign(_ headers: [HTTPHeader], method: String = "GET") throws {
            var request = try SigningRequest(method: method, url: "https://b.s3.amazonaws.com/k", headers: headers)
            try signer.sign(&request, at: time, payload: .unsigned)
        }
        #expect(throws: SigningError.invalidHeaderName("bad name")) { try sign([HTTPHeader("bad name", "v")]) }
        #expect(throws: SigningError.invalidHeaderName("x:y")) { try sign([HTTPHeader("x:y", "v")]) }
        #expect(throws: SigningError.invalidHeaderName("")) { try sign([HTTPHeader("", "v")]) }
        #expect(throws: SigningError.invalidHeaderValue(headerName: "x-amz-meta-a")) { try sign([HTTPHeader("x-amz-meta-a", "café")]) }
        #expect(throws: SigningError.invalidHeaderValue(headerName: "x-amz-meta-a")) { try sign([HTTPHeader("x-amz-meta-a", "a\r\nInjected: 1")]) }
        #expect(throws: SigningError.invalidHeaderValue(headerName: "x-amz-meta-a")) { try sign([HTTPHeader("x-amz-meta-a", "a\u{0}")]) }
        #expect(throws: SigningError.invalidMethod) { try sign([], method: "GE T") }
    }

    @Test("missing credentials, region or service, and non-ASCII tokens are typed errors")
    func badCredentials() {
        #expect(throws: SigningError.missingCredential(.accessKeyID)) {
            try SigV4Signer(credentials: SigningCredentials(accessKeyID: "", secretAccessKey: "s"), region: "us-east-1")
        }
        #expect(throws: SigningError.missingCredential(.secretAccessKey)) {
            try SigV4Signer(credentials: SigningCredentials(accessKeyID: "a", secretAccessKey: ""), region: "us-east-1")
        }
        #expect(throws: SigningError.missingCredential(.region)) {
            try SigV4Signer(credentials: SigningCredentials(accessKeyID: "a", secretAccessKey: "s"), region: "")
        }
        #expect(throws: SigningError.invalidHeaderValue(headerName: "x-amz-security-token")) {
            try SigV4Signer(credentials: SigningCredentials(accessKeyID: "a", secretAccessKey: "s",
                                                            securityToken: .session("tökén")), region: "us-east-1")
        }
    }

    @Test("errors never carry the secret or the tokens")
    func errorsHoldNoSecrets() throws {
        let signer = try SigV4Signer(credentials: devPay, region: "us-east-1")
        var request = try SigningRequest(method: "GET", url: "https://b.s3.amazonaws.com/k", headers: [HTTPHeader("x-a", "é")])
        do {
            try signer.sign(&request, at: time, payload: .unsigned)
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains(ProtocolDocVectors.secretAccessKey))
            #expect(!error.description.contains("UserToken"))
        }
    }
}
