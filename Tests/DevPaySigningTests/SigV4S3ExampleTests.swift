import DevPaySigning
import Testing

/// The worked examples of the Amazon S3 API Reference ("Signature calculations for the Authorization
/// header" and "Authenticating requests: using query parameters"), which botocore reproduces too.
@Suite("SigV4: Amazon S3 documentation examples")
struct SigV4S3ExampleTests {
    let credentials = SigningCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                         secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    let time: SigningTime
    let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    init() throws {
        time = try SigningTime(iso8601: "2013-05-24T00:00:00Z")
    }

    func signer() throws -> SigV4Signer {
        try SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3")
    }

    @Test("GET object with a Range header")
    func getObject() throws {
        var request = try SigningRequest(method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
                                         headers: [HTTPHeader("Range", "bytes=0-9")])
        let signer = try signer()
        try signer.sign(&request, at: time, payload: .sha256Hex(emptyHash))
        #expect(request.headers.last == HTTPHeader("Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))
        #expect(request.headers.contains(HTTPHeader("Host", "examplebucket.s3.amazonaws.com")))
        #expect(request.headers.contains(HTTPHeader("X-Amz-Date", "20130524T000000Z")))
        #expect(request.headers.contains(HTTPHeader("X-Amz-Content-SHA256", emptyHash)))
    }

    @Test("PUT object with a Date header, a storage class and a '$' in the key")
    func putObject() throws {
        let body = Array("Welcome to Amazon S3.".utf8)
        var request = try SigningRequest(
            method: "PUT", url: "https://examplebucket.s3.amazonaws.com/test%24file.text",
            headers: [HTTPHeader("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                      HTTPHeader("x-amz-storage-class", "REDUCED_REDUNDANCY")])
        let signer = try signer()
        try signer.sign(&request, at: time, payload: .hash(of: body))
        #expect(request.signatureForTests == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
        #expect(signer.lastCanonicalRequest.hasPrefix("PUT\n/test%24file.text\n\ndate:"))
    }

    @Test("GET bucket lifecycle: a sub-resource with no value")
    func getLifecycle() throws {
        var request = try SigningRequest(method: "GET", url: "https://examplebucket.s3.amazonaws.com/?lifecycle")
        let signer = try signer()
        try signer.sign(&request, at: time, payload: .sha256Hex(emptyHash))
        #expect(request.signatureForTests == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
        #expect(signer.lastCanonicalRequest.hasPrefix("GET\n/\nlifecycle=\n"))
    }

    @Test("GET bucket listing: query parameters sorted")
    func listObjects() throws {
        var request = try SigningRequest(method: "GET", url: "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J")
        let signer = try signer()
        try signer.sign(&request, at: time, payload: .sha256Hex(emptyHash))
        #expect(request.signatureForTests == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test("presigned GET valid for 24 hours")
    func presignedGet() throws {
        var request = try SigningRequest(method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt")
        let signer = try signer()
        try signer.presign(&request, at: time, expires: 86_400)
        #expect(request.url == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }
}
