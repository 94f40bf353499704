import Foundation

/// Drives the emulator's S3 with botocore's signers (an independent implementation of SigV2 and SigV4) and
/// Python's urllib over HTTPS with the emulator's CA. Each step prints one JSON line: name, status, code.
enum BotocorePeer {
    struct Step: Decodable, Sendable {
        var name: String
        var status: Int
        var code: String?
        var body: String
    }

    static let script = #"""
    import hashlib, json, re, ssl, sys, urllib.error, urllib.request
    from botocore.auth import HmacV1Auth, HmacV1QueryAuth, S3SigV4Auth, S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    cfg = json.loads(sys.argv[1])
    ctx = ssl.create_default_context(cafile=cfg["ca"])
    base = cfg["endpoint"].rstrip("/")
    good = Credentials(cfg["akid"], cfg["secret"], cfg["userToken"] + "," + cfg["productToken"])

    def send(method, url, headers, body):
        request = urllib.request.Request(url, data=body if body else None, method=method, headers=dict(headers))
        try:
            with urllib.request.urlopen(request, context=ctx, timeout=20) as reply:
                return reply.status, reply.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def step(name, method, path, body=b"", signer="v4", creds=good, tamper=None):
        request = AWSRequest(method=method, url=base + path, data=body)
        if body:
            # urllib would add a form Content-Type after signing; sign the one that is sent.
            request.headers["Content-Type"] = "application/octet-stream"
        if signer == "v4":
            S3SigV4Auth(creds, "s3", "us-east-1").add_auth(request)
        elif signer == "v4-query":
            S3SigV4QueryAuth(creds, "s3", "us-east-1", expires=300).add_auth(request)
        elif signer == "v2":
            HmacV1Auth(creds).add_auth(request)
        elif signer == "v2-query":
            HmacV1QueryAuth(creds, expires=300).add_auth(request)
        url, headers = request.url, dict(request.headers.items())
        if signer in ("v4-query", "v2-query"):
            headers = {}
        if tamper:
            url, headers, body = tamper(url, headers, body)
        status, text = send(method, url, headers, body)
        match = re.search(r"<Code>([^<]*)</Code>", text)
        print(json.dumps({"name": name, "status": status, "code": match.group(1) if match else None, "body": text}))

    bucket = cfg["bucket"]
    step("v4 create bucket", "PUT", "/" + bucket)
    step("v4 put object", "PUT", "/%s/notes/hello%%20world.txt" % bucket, b"hello from botocore")
    step("v2 put object", "PUT", "/%s/v2.txt" % bucket, b"signed with HmacV1", signer="v2")
    step("v4 get object", "GET", "/%s/notes/hello%%20world.txt" % bucket)
    step("v2 get object", "GET", "/%s/v2.txt" % bucket, signer="v2")
    step("v4 presigned get", "GET", "/%s/v2.txt" % bucket, signer="v4-query")
    step("v2 presigned get", "GET", "/%s/notes/hello%%20world.txt" % bucket, signer="v2-query")
    step("v4 list objects", "GET", "/%s?list-type=2&prefix=notes%%2F" % bucket)
    step("v2 list buckets", "GET", "/", signer="v2")
    step("v4 head object", "HEAD", "/%s/v2.txt" % bucket)
    step("v2 delete object", "DELETE", "/%s/v2.txt" % bucket, signer="v2")

    def other_path(url, headers, body):
        return url.replace("hello%20world.txt", "other.txt"), headers, body
    def later_date(url, headers, body):
        headers["Date"] = headers["Date"][:-6] + ("00" if headers["Date"][-6:-4] != "00" else "01") + " GMT"
        return url, headers, body
    def longer_expiry(url, headers, body):
        return url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000"), headers, body
    def other_body(url, headers, body):
        return url, headers, b"tampered body!!"
    def other_token(url, headers, body):
        headers["x-amz-security-token"] = headers["x-amz-security-token"].replace("{UserToken}", "{UserToken}X", 1)
        return url, headers, body

    step("tampered v4 path", "GET", "/%s/notes/hello%%20world.txt" % bucket, tamper=other_path)
    step("tampered v2 date", "GET", "/%s/notes/hello%%20world.txt" % bucket, signer="v2", tamper=later_date)
    step("tampered v4 presigned expiry", "GET", "/%s/notes/hello%%20world.txt" % bucket, signer="v4-query",
         tamper=longer_expiry)
    step("tampered v4 body", "PUT", "/%s/x.txt" % bucket, b"original body", tamper=other_body)
    step("tampered v2 token", "GET", "/%s/notes/hello%%20world.txt" % bucket, signer="v2", tamper=other_token)
    step("wrong secret v4", "GET", "/%s/notes/hello%%20world.txt" % bucket,
         creds=Credentials(cfg["akid"], cfg["secret"][:-1] + "x", good.token))
    step("unknown key v2", "GET", "/", signer="v2", creds=Credentials("AKIAUNKNOWNUNKNOWN00", cfg["secret"], good.token))
    step("user token only v4", "GET", "/", creds=Credentials(cfg["akid"], cfg["secret"], cfg["userToken"]))
    step("forged user token v4", "GET", "/",
         creds=Credentials(cfg["akid"], cfg["secret"], cfg["userToken"] + "AA," + cfg["productToken"]))
    """#

    /// Runs the script against `endpoint` with one customer's DevPay credentials.
    static func run(endpoint: URL, caFile: URL, accessKeyID: String, secret: String, userToken: String,
                    productToken: String, bucket: String) async throws -> [String: Step]
    {
        let configuration = try JSONSerialization.data(withJSONObject: [
            "endpoint": endpoint.absoluteString, "ca": caFile.path, "akid": accessKeyID, "secret": secret,
            "userToken": userToken, "productToken": productToken, "bucket": bucket,
        ])
        let (status, output) = try await CurlClient.run(
            "/usr/bin/env", ["python3", "-c", script, String(decoding: configuration, as: UTF8.self)])
        guard status == 0 else { throw PeerError.failed(status, output) }
        var steps: [String: Step] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let step = try JSONDecoder().decode(Step.self, from: Data(line.utf8))
            steps[step.name] = step
        }
        return steps
    }

    enum PeerError: Error { case failed(Int32, String) }
}
