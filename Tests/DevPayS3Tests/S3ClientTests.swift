import DevPayHTTP
import DevPayS3
import DevPaySigning
import DevPayHTTPTesting
import Foundation
import HTTPTypes
import Testing

@Suite("S3 client on the wire")
struct S3ClientTests {
    static let userToken = "{UserToken}" + String(repeating: "U", count: 400) + "=="
    static let productToken = "{ProductToken}" + String(repeating: "P", count: 300) + "="
    static let credentials = SigningCredentials.devPay(
        accessKeyID: "AKIDCUSTOMER00000001", secretAccessKey: "customer/secret+key",
        userToken: userToken, productToken: productToken
    )
    /// 2013-05-24T00:00:00Z, the instant of AWS's S3 SigV4 examples.
    static let instant: Int64 = 1_369_353_600

    func client(
        _ transport: ScriptedHTTPTransport,
        endpoint: String = "https://127.0.0.1:8443",
        addressing: S3Endpoint.Addressing = .pathStyle,
        signatureVersion: S3SignatureVersion = .v4
    ) throws -> S3Client {
        let configuration = S3Client.Configuration(
            endpoint: try S3Endpoint(url: endpoint, addressing: addressing),
            signatureVersion: signatureVersion,
            currentTime: { Self.instant }
        )
        return S3Client(configuration: configuration, transport: transport, credentials: Self.credentials)
    }

    func header(_ request: HTTPRequest, _ name: String) -> String? {
        request.headerFields[HTTPField.Name(name)!]
    }

    @Test("list buckets sends a SigV4 GET / with the DevPay token pair and reads the buckets")
    func listBuckets() async throws {
        let transport = ScriptedHTTPTransport([.init(body: """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Owner><ID>1</ID></Owner>
              <Buckets>
                <Bucket><Name>photos</Name><CreationDate>2026-11-30T00:00:00.000Z</CreationDate></Bucket>
                <Bucket><Name>notes</Name><CreationDate>2026-11-29T00:00:00.000Z</CreationDate></Bucket>
              </Buckets>
            </ListAllMyBucketsResult>
            """)])
        let buckets = try await client(transport).listBuckets()
        #expect(buckets.map(\.name) == ["photos", "notes"])
        let request = try #require(transport.sent.first).request
        #expect(request.method == .get)
        #expect(request.authority == "127.0.0.1:8443")
        #expect(request.path == "/")
        #expect(request.headerFields[values: HTTPField.Name("x-amz-security-token")!] == [Self.userToken, Self.productToken])
        #expect(header(request, "x-amz-date") == "20130524T000000Z")
        let authorization = try #require(header(request, "authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDCUSTOMER00000001/20130524/us-east-1/s3/aws4_request"))
        #expect(authorization.contains("x-amz-security-token"))
        #expect(!authorization.contains("customer/secret"))
    }

    @Test("the signature the client sends is the one a server recomputes from the received request")
    func signatureVerifiesServerSide() async throws {
        let transport = ScriptedHTTPTransport([.init()])
        try await client(transport).putObject(bucket: "photos", key: "2026/a b+c ü.txt", bytes: Array("hello".utf8))
        let request = try #require(transport.sent.first).request
        #expect(request.path == "/photos/2026/a%20b%2Bc%20%C3%BC.txt")
        let (path, query) = splitTarget(request.path ?? "")
        var headers = request.headerFields.map { HTTPHeader($0.name.rawName, $0.value) }
        headers.append(HTTPHeader("host", request.authority ?? ""))
        let received = SigningRequest(method: "PUT", authority: request.authority ?? "", path: path, query: query, headers: headers)
        let authorization = try SigV4Authorization(headerValue: try #require(header(request, "authorization")))
        let expected = try SigV4.expectedSignature(
            for: received, authorization: authorization, amzDate: try #require(header(request, "x-amz-date")),
            payloadHash: try #require(header(request, "x-amz-content-sha256")),
            secretAccessKey: Self.credentials.secretAccessKey
        )
        #expect(expected.signature == authorization.signature)
        #expect(header(request, "x-amz-content-sha256") == SHA256.hexDigest(Array("hello".utf8)))
    }

    @Test("create bucket is a PUT on /bucket/ path-style")
    func createBucket() async throws {
        let transport = ScriptedHTTPTransport([.init()])
        try await client(transport).createBucket("my-bucket")
        let request = try #require(transport.sent.first).request
        #expect(request.method == .put)
        #expect(request.path == "/my-bucket/")
    }

    @Test("delete bucket is a DELETE on /bucket/ path-style")
    func deleteBucket() async throws {
        let transport = ScriptedHTTPTransport([.init(.noContent)])
        try await client(transport).deleteBucket("my-bucket")
        let request = try #require(transport.sent.first).request
        #expect(request.method == .delete)
        #expect(request.path == "/my-bucket/")
    }

    @Test("virtual-hosted addressing puts the bucket in the host; a dotted bucket is refused before sending")
    func virtualHosted() async throws {
        let transport = ScriptedHTTPTransport([.init(body: "data")])
        let s3 = try client(transport, endpoint: "https://s3.amazonaws.com", addressing: .virtualHosted)
        _ = try await s3.getObject(bucket: "photos", key: "cat.jpg")
        let request = try #require(transport.sent.first).request
        #expect(request.authority == "photos.s3.amazonaws.com")
        #expect(request.path == "/cat.jpg")
        await #expect(throws: S3ClientError.bucketNotVirtualHostCompatible("my.photos")) {
            _ = try await s3.getObject(bucket: "my.photos", key: "cat.jpg")
        }
        #expect(transport.sent.count == 1)
    }

    @Test("SigV2 sends Authorization: AWS AKID:signature, a Date and the token pair")
    func sigV2() async throws {
        let transport = ScriptedHTTPTransport([.init()])
        try await client(transport, signatureVersion: .v2).deleteObject(bucket: "photos", key: "old.txt")
        let request = try #require(transport.sent.first).request
        #expect(request.method == .delete)
        #expect(header(request, "authorization")?.hasPrefix("AWS AKIDCUSTOMER00000001:") == true)
        #expect(header(request, "date") == "Fri, 24 May 2013 00:00:00 GMT")
        #expect(request.headerFields[values: HTTPField.Name("x-amz-security-token")!] == [Self.userToken, Self.productToken])
    }

    @Test("an S3 error answer becomes a typed error with code, message, request id and server time")
    func serviceError() async throws {
        let transport = ScriptedHTTPTransport([.init(.forbidden, body: """
            <Error><Code>RequestTimeTooSkewed</Code><Message>The difference is too large.</Message>
            <RequestId>REQ1</RequestId><ServerTime>2026-11-30T10:00:00Z</ServerTime></Error>
            """)])
        await #expect(throws: S3ServiceError(
            status: 403, code: "RequestTimeTooSkewed", message: "The difference is too large.",
            requestID: "REQ1", serverTime: "2026-11-30T10:00:00Z"
        )) {
            _ = try await client(transport).listBuckets()
        }
    }

    @Test("HEAD answers have no body: a 404 keeps its status and no code; a 200 gives size, type and tag")
    func head() async throws {
        let transport = ScriptedHTTPTransport([
            .init(.notFound),
            .init(.ok, headers: [(.contentLength, "42"), (.contentType, "text/plain"), (.eTag, "\"abc\"")]),
        ])
        let s3 = try client(transport)
        await #expect(throws: S3ServiceError(status: 404)) { _ = try await s3.headObject(bucket: "photos", key: "gone") }
        let info = try await s3.headObject(bucket: "photos", key: "here")
        #expect(info == S3ObjectInfo(contentLength: 42, contentType: "text/plain", eTag: "abc"))
        #expect(transport.sent.last?.request.method == .head)
    }

    @Test("listing follows continuation tokens page by page and stops after the last page")
    func pagination() async throws {
        func page(_ keys: [String], next: String?) -> ScriptedHTTPTransport.Answer {
            let contents = keys.map {
                "<Contents><Key>\($0)</Key><Size>1</Size><ETag>\"e\"</ETag><LastModified>t</LastModified></Contents>"
            }.joined()
            let token = next.map { "<NextContinuationToken>\($0)</NextContinuationToken>" } ?? ""
            return .init(body: "<ListBucketResult><IsTruncated>\(next != nil)</IsTruncated>\(contents)\(token)</ListBucketResult>")
        }
        let transport = ScriptedHTTPTransport([page(["a", "b"], next: "tok/1+="), page(["c"], next: nil)])
        var keys: [String] = []
        for try await page in try client(transport).allObjects(bucket: "photos", prefix: "", pageSize: 2) {
            keys += page.objects.map(\.key)
        }
        #expect(keys == ["a", "b", "c"])
        #expect(transport.sent.count == 2)
        let second = try #require(transport.sent.last?.request.path)
        #expect(second.contains("continuation-token=tok%2F1%2B%3D"))
        #expect(second.contains("list-type=2"))
    }

    @Test("credentials that refuse (not subscribed) stop the request before anything is sent")
    func refusedCredentials() async throws {
        struct NotSubscribed: Error {}
        let transport = ScriptedHTTPTransport([.init()])
        let configuration = S3Client.Configuration(endpoint: try S3Endpoint(url: "https://127.0.0.1:1"))
        let s3 = S3Client(configuration: configuration, transport: transport, credentials: { throw NotSubscribed() })
        await #expect(throws: NotSubscribed.self) { _ = try await s3.listBuckets() }
        #expect(transport.sent.isEmpty)
    }

    @Test("bad bucket names and keys are typed errors and send nothing", arguments: [
        ("ab", "k"), ("Photos", "k"), ("photos", ""), ("photos", String(repeating: "k", count: 1025)), ("photos", "a\u{1}b"),
    ])
    func badInput(bucket: String, key: String) async throws {
        let transport = ScriptedHTTPTransport([.init()])
        await #expect(throws: S3ClientError.self) { _ = try await client(transport).getObject(bucket: bucket, key: key) }
        #expect(transport.sent.isEmpty)
    }

    @Test("endpoint URLs are checked")
    func endpoints() throws {
        #expect(try S3Endpoint(url: "https://127.0.0.1:9000/").authority == "127.0.0.1:9000")
        for bad in ["ftp://x", "https://", "https://host/path", "https://user@host", "s3.amazonaws.com"] {
            #expect(throws: S3ClientError.invalidEndpoint(bad)) { try S3Endpoint(url: bad) }
        }
    }

    @Test("a download lands whole under its name, and an error answer leaves no file")
    func download() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("s3-download-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let transport = ScriptedHTTPTransport([
            .init(.ok, headers: [(.contentLength, "11")], body: "hello world"),
            .init(.notFound, body: "<Error><Code>NoSuchKey</Code></Error>"),
        ])
        let s3 = try client(transport)
        let info = try await s3.downloadObject(bucket: "photos", key: "a.txt", toFileAt: folder + "/a.txt")
        #expect(info.contentLength == 11)
        #expect(try String(contentsOfFile: folder + "/a.txt", encoding: .utf8) == "hello world")
        await #expect(throws: S3ServiceError(status: 404, code: "NoSuchKey")) {
            try await s3.downloadObject(bucket: "photos", key: "b.txt", toFileAt: folder + "/b.txt")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["a.txt"])
    }

    private func splitTarget(_ target: String) -> (String, String) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }
}
