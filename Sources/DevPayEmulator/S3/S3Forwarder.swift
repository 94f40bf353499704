import DevPayHTTP
import DevPaySigning
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Sends an authenticated DevPay request on to the S3 engine behind the emulator, re-signed with the engine's
/// credentials, and relays the engine's answer (status, headers, body) as it is.
///
/// What is dropped on the way: the caller's signature and tokens (`Authorization`, `x-amz-date`,
/// `x-amz-security-token`, `x-amz-content-sha256`, `Date`, and the presigned query parameters), and the
/// hop-by-hop headers. Answers are buffered (up to 5 GiB, one S3 part): the emulator is a development tool.
struct S3Forwarder: Sendable {
    let backend: EmulatorS3Backend
    let transport: CurlHTTPClient

    init(backend: EmulatorS3Backend) {
        self.backend = backend
        transport = CurlHTTPClient(configuration: .init(
            trustRoots: backend.caFile.map { .caFile(path: $0) } ?? .system, schemePolicy: .allowPlainHTTP))
    }

    static let droppedHeaders: Set<String> = [
        "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "date", "host", "content-length",
        "transfer-encoding", "connection", "expect", "keep-alive", "te", "upgrade", "proxy-connection",
    ]
    static let droppedQuery: Set<String> = [
        "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires", "x-amz-signedheaders", "x-amz-signature",
        "x-amz-security-token", "awsaccesskeyid", "signature", "expires",
    ]

    func forward(_ request: S3SignedRequest, requestID: String) async throws(S3Fault) -> Response {
        let query = request.rawQuery.split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map { QueryString.decode($0, formEncoded: false) } ?? ""
            return !Self.droppedQuery.contains(name.lowercased())
        }.joined(separator: "&")
        var signing = SigningRequest(
            method: request.method, scheme: backend.endpoint.scheme ?? "http",
            authority: backend.endpoint.port.map { "\(backend.endpoint.host ?? "127.0.0.1"):\($0)" } ?? (backend.endpoint.host ?? ""),
            path: request.pathStyleResource, query: query,
            headers: request.headers.filter { !Self.droppedHeaders.contains($0.name) }.map { HTTPHeader($0.name, $0.value) })
        let response: HTTPBufferedResponse
        do {
            let signer = try SigV4Signer(
                credentials: SigningCredentials(accessKeyID: backend.accessKeyID, secretAccessKey: backend.secretAccessKey),
                region: backend.region)
            try signer.sign(&signing, at: try SigningTime(secondsSince1970: Int64(Date().timeIntervalSince1970)),
                            payload: .hash(of: request.body))
            let hasBody = !request.body.isEmpty || request.method == "PUT" || request.method == "POST"
            response = try await transport.send(
                try Self.httpRequest(signing), body: hasBody ? .bytes(request.body) : .empty,
                options: HTTPRequestOptions(totalTimeout: .seconds(3600), maximumResponseBytes: 5 << 30))
        } catch {
            throw .internalError()
        }
        var headers = HTTPFields()
        for field in response.head.headerFields {
            let name = field.name.canonicalName
            if name == "connection" || name == "transfer-encoding" || name == "keep-alive" { continue }
            headers.append(field)
        }
        headers[HTTPField.Name("x-amz-request-id")!] = requestID
        return Response(status: response.head.status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    private static func httpRequest(_ request: SigningRequest) throws -> HTTPRequest {
        var fields = HTTPFields()
        for header in request.headers where header.name.lowercased() != "host" {
            guard let name = HTTPField.Name(header.name) else { throw S3Fault.internalError() }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return HTTPRequest(
            method: HTTPRequest.Method(request.method) ?? .get, scheme: request.scheme, authority: request.authority,
            path: request.query.isEmpty ? request.path : request.path + "?" + request.query, headerFields: fields)
    }
}
