import DevPaySigning
import Testing

@Suite("S3 signature version 2")
struct S3SigV2SignerTests {
    let devPay = SigningCredentials.devPay(
        accessKeyID: ProtocolDocVectors.accessKeyID, secretAccessKey: ProtocolDocVectors.secretAccessKey,
        userToken: ProtocolDocVectors.userToken, productToken: ProtocolDocVectors.productToken)
    let epoch: SigningTime

    init() throws {
        epoch = try SigningTime(secondsSince1970: 0)
    }

    func vectorRequest(_ url: String) throws -> SigningRequest {
        try SigningRequest(method: "PUT", url: url, headers: [HTTPHeader("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")])
    }

    @Test("the DevPay PUT bucket vector of docs/protocol.md §6, path-style", arguments: [
        ("https://s3.amazonaws.com/lae-abcdefgh-MSEED/", "NlnzOWOmMCut8/Opl26UpAAiIhE="),
        ("https://s3.amazonaws.com/lae-abcdefgh-MSEED", "r9tTQ29+x1je9Kr75UybpoKU3o0="),
    ])
    func devPayVector(url: String, signature: String) throws {
        var request = try vectorRequest(url)
        let signer = try S3SigV2Signer(credentials: devPay)
        try signer.sign(&request, at: epoch)
        #expect(request.headers.contains(HTTPHeader("Date", "Thu, 01 Jan 1970 00:00:00 GMT")))
        #expect(request.headers.contains(HTTPHeader(
            "x-amz-security-token", ProtocolDocVectors.userToken + "," + ProtocolDocVectors.productToken)))
        #expect(request.headers.last == HTTPHeader("Authorization", "AWS \(ProtocolDocVectors.accessKeyID):\(signature)"))
        #expect(signer.lastStringToSign == "PUT\n1B2M2Y8AsgTpgAmY7PhCfg==\n\nThu, 01 Jan 1970 00:00:00 GMT\n"
            + "x-amz-security-token:\(ProtocolDocVectors.userToken),\(ProtocolDocVectors.productToken)\n"
            + String(url.dropFirst("https://s3.amazonaws.com".count)))
    }

    @Test("the same vector virtual-hosted: the bucket moves from the host into the resource")
    func devPayVectorVirtualHosted() throws {
        var request = try vectorRequest("https://lae-abcdefgh-MSEED.s3.amazonaws.com/")
        let addressing = S3Addressing.infer(fromHost: request.authority)
        #expect(addressing == .virtualHosted(bucket: "lae-abcdefgh-MSEED"))
        try S3SigV2Signer(credentials: devPay).sign(&request, at: epoch, addressing: addressing)
        #expect(request.headers.last?.value == "AWS \(ProtocolDocVectors.accessKeyID):NlnzOWOmMCut8/Opl26UpAAiIhE=")
    }

    @Test("two token fields sign like the one joined value")
    func twoTokenFields() throws {
        let bare = SigningCredentials(accessKeyID: ProtocolDocVectors.accessKeyID,
                                      secretAccessKey: ProtocolDocVectors.secretAccessKey)
        var request = try SigningRequest(method: "PUT", url: "https://s3.amazonaws.com/lae-abcdefgh-MSEED/", headers: [
            HTTPHeader("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="),
            HTTPHeader("x-amz-security-token", ProtocolDocVectors.userToken),
            HTTPHeader("X-Amz-Security-Token", ProtocolDocVectors.productToken),
        ])
        try S3SigV2Signer(credentials: bare).sign(&request, at: epoch)
        #expect(request.headers.last?.value == "AWS \(ProtocolDocVectors.accessKeyID):NlnzOWOmMCut8/Opl26UpAAiIhE=")
    }

    @Test("addressing is inferred from Amazon S3 host names only", arguments: [
        ("bucket.s3.amazonaws.com", S3Addressing.virtualHosted(bucket: "bucket")),
        ("my.bucket.s3.us-west-2.amazonaws.com", .virtualHosted(bucket: "my.bucket")),
        ("Bucket.s3-external-1.amazonaws.com:443", .virtualHosted(bucket: "Bucket")),
        ("s3.amazonaws.com", .pathStyle),
        ("s3.us-west-2.amazonaws.com", .pathStyle),
        ("127.0.0.1:9000", .pathStyle),
        ("bucket.example.com", .pathStyle),
    ])
    func addressing(host: String, expected: S3Addressing) {
        #expect(S3Addressing.infer(fromHost: host) == expected)
    }

    @Test("CanonicalizedAmzHeaders: lower-case, sorted, repeated fields comma-joined, whitespace trimmed and unfolded")
    func amzHeaders() throws {
        var request = try SigningRequest(method: "PUT", url: "https://s3.amazonaws.com/b/k", headers: [
            HTTPHeader("X-Amz-Meta-Zeta", "  last "),
            HTTPHeader("x-amz-meta-alpha", "one"),
            HTTPHeader("Content-Type", " text/plain "),
            HTTPHeader("X-AMZ-META-ALPHA", "two\r\n   three"),
            HTTPHeader("x-amz-acl", "public-read"),
            HTTPHeader("Cache-Control", "no-cache"),
        ])
        let signer = try S3SigV2Signer(credentials: SigningCredentials(accessKeyID: "AKID", secretAccessKey: "s"))
        try signer.sign(&request, at: epoch)
        #expect(signer.lastStringToSign == "PUT\n\ntext/plain\nThu, 01 Jan 1970 00:00:00 GMT\n"
            + "x-amz-acl:public-read\nx-amz-meta-alpha:one,two three\nx-amz-meta-zeta:last\n/b/k")
    }

    @Test("with x-amz-date the Date line is empty and x-amz-date is signed")
    func amzDateRule() throws {
        var request = try SigningRequest(method: "GET", url: "https://s3.amazonaws.com/b/k",
                                         headers: [HTTPHeader("x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000")])
        let signer = try S3SigV2Signer(credentials: SigningCredentials(accessKeyID: "AKID", secretAccessKey: "s"))
        try signer.sign(&request, at: epoch)
        #expect(signer.lastStringToSign == "GET\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n/b/k")
        #expect(!request.headers.contains { $0.name == "Date" })
    }

    @Test("only S3's sub-resources enter the resource, sorted, values decoded")
    func subResources() {
        #expect(S3SigV2Signer.canonicalizedResource(
            path: "/b/photo.jpg", query: "versionId=a%2Bb&prefix=x&acl&uploadId=u&partNumber=2&response-content-type=text%2Fplain",
            addressing: .pathStyle)
            == "/b/photo.jpg?acl&partNumber=2&response-content-type=text/plain&uploadId=u&versionId=a+b")
        #expect(S3SigV2Signer.canonicalizedResource(path: "/", query: "max-keys=2", addressing: .virtualHosted(bucket: "b"))
            == "/b/")
    }

    @Test("the AWS documentation's GET object example (johnsmith), Date as the client sent it")
    func awsDocumentationExample() throws {
        let request = try SigningRequest(method: "GET", url: "https://johnsmith.s3.amazonaws.com/photos/puppy.jpg",
                                         headers: [HTTPHeader("Date", "Tue, 27 Mar 2007 19:36:42 +0000")])
        let signer = try S3SigV2Signer(credentials: SigningCredentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
        let stringToSign = S3SigV2Signer.stringToSign(for: request, addressing: .infer(fromHost: request.authority))
        #expect(stringToSign == "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg")
        #expect(signer.signature(stringToSign: stringToSign) == "bWq2s1WEIj+Ydj0vQ697zp+IXMU=")
    }

    @Test("presigned URLs are opt-in when they would carry a token")
    func presignOptIn() throws {
        var request = try SigningRequest(method: "GET", url: "https://s3.amazonaws.com/b/k")
        let signer = try S3SigV2Signer(credentials: devPay)
        let expiry = try SigningTime(secondsSince1970: 1_175_139_620)
        #expect(throws: SigningError.tokenInURLNotAllowed) { try signer.presign(&request, expiresAt: expiry) }
        try signer.presign(&request, expiresAt: expiry, allowingTokenInURL: true)
        #expect(request.query.hasPrefix("AWSAccessKeyId=\(ProtocolDocVectors.accessKeyID)&Expires=1175139620&Signature="))
        #expect(request.query.contains("&x-amz-security-token=%7BUserToken%7D"))
        #expect(signer.lastStringToSign.hasPrefix("GET\n\n\n1175139620\nx-amz-security-token:{UserToken}"))
    }

    @Test("the AWS documentation's query-string example (johnsmith, Expires 1175139620)")
    func presignDocumentationExample() throws {
        var request = try SigningRequest(method: "GET", url: "https://johnsmith.s3.amazonaws.com/photos/puppy.jpg")
        let signer = try S3SigV2Signer(credentials: SigningCredentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
        try signer.presign(&request, expiresAt: SigningTime(secondsSince1970: 1_175_139_620),
                           addressing: .virtualHosted(bucket: "johnsmith"))
        #expect(request.query == "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D")
    }

    @Test("a server recomputes the string to sign and signature from the received request")
    func verification() throws {
        var request = try SigningRequest(method: "PUT", url: "http://127.0.0.1:9000/bucket/a%20b?uploadId=7&partNumber=1",
                                         headers: [HTTPHeader("Content-Type", "text/plain"), HTTPHeader("x-amz-meta-k", "v")])
        let signer = try S3SigV2Signer(credentials: devPay)
        try signer.sign(&request, at: epoch)
        let received = request
        let stringToSign = S3SigV2Signer.stringToSign(for: received, addressing: .infer(fromHost: received.authority))
        #expect(stringToSign == signer.lastStringToSign)
        let claimed = try #require(received.headers.last?.value.split(separator: ":").last.map(String.init))
        #expect(signer.signature(stringToSign: stringToSign) == claimed)
        var tampered = received
        tampered.headers[0].value = "text/html"
        #expect(signer.signature(stringToSign: S3SigV2Signer.stringToSign(for: tampered, addressing: .pathStyle)) != claimed)
    }
}
