import DevPayHTTP
import DevPaySigning
import HTTPTypes

/// One S3 request before signing: what to do to which bucket and key.
struct S3Operation: Sendable {
    /// S3's name for the operation (`GetObject`), for retry logs and metrics.
    var name: String
    var method: HTTPRequest.Method
    var bucket: String?
    var key: String?
    /// Decoded query parameters; sub-resources (`acl`, …) with an empty value.
    var query: [QueryParameter] = []
    var headers: [HTTPHeader] = []
    /// What SigV4 signs as the payload: a hash for bodies in memory, `UNSIGNED-PAYLOAD` for streams.
    var payload: SigV4Payload = .empty
}

/// Turns an ``S3Operation`` into a signed `HTTPRequest` for one endpoint, scheme and moment.
struct S3RequestBuilder: Sendable {
    var endpoint: S3Endpoint
    var signatureVersion: S3SignatureVersion
    var securityTokenFields: S3SecurityTokenFields = .separate

    func signedRequest(
        for operation: S3Operation,
        credentials: SigningCredentials,
        secondsSince1970: Int64
    ) throws(S3ClientError) -> HTTPRequest {
        var request = try unsignedRequest(for: operation)
        do {
            let time = try SigningTime(secondsSince1970: secondsSince1970)
            switch signatureVersion {
            case .v4:
                let signer = try SigV4Signer(credentials: credentials, region: endpoint.region)
                try signer.sign(&request, at: time, payload: operation.payload)
            case .v2:
                let signer = try S3SigV2Signer(credentials: credentials)
                try signer.sign(&request, at: time, addressing: sigV2Addressing(for: operation))
            }
        } catch {
            throw .signing(error.description)
        }
        return try httpRequest(from: request, token: credentials.securityToken)
    }

    func unsignedRequest(for operation: S3Operation) throws(S3ClientError) -> SigningRequest {
        var authority = endpoint.authority
        var path = ""
        if let bucket = operation.bucket {
            let name: S3BucketName
            do { name = try S3BucketName(bucket) } catch { throw .invalidBucketName(error) }
            switch endpoint.addressing {
            case .pathStyle:
                path = "/" + name.name
            case .virtualHosted:
                guard name.isVirtualHostCompatible else { throw .bucketNotVirtualHostCompatible(bucket) }
                authority = name.name + "." + authority
            }
        }
        if let key = operation.key {
            path += "/" + (try S3ObjectKey.encodedPath(key))
        } else {
            path += "/"  // the service root, or the bucket itself: `/bucket/` path-style, `/` virtual-hosted
        }
        return SigningRequest(
            method: operation.method.rawValue,
            scheme: endpoint.scheme,
            authority: authority,
            path: path,
            query: QueryParameter.queryString(operation.query),
            headers: operation.headers
        )
    }

    private func sigV2Addressing(for operation: S3Operation) -> S3Addressing {
        switch (endpoint.addressing, operation.bucket) {
        case (.virtualHosted, let bucket?): .virtualHosted(bucket: bucket)
        default: .pathStyle
        }
    }

    /// The signed request as HTTP fields. The signers add the DevPay pair as one comma-joined
    /// `x-amz-security-token` (the value they sign); with ``S3SecurityTokenFields/separate`` it goes out as
    /// the two fields that value is the folding of, user token first.
    private func httpRequest(from request: SigningRequest, token: SecurityToken?) throws(S3ClientError) -> HTTPRequest {
        var fields = HTTPFields()
        for header in request.headers where header.name.lowercased() != "host" {
            guard let name = HTTPField.Name(header.name) else { throw .signing("header name \(header.name)") }
            if securityTokenFields == .separate, name == Self.securityToken,
               case .devPay(let userToken, let productToken) = token
            {
                fields.append(HTTPField(name: name, value: userToken))
                fields.append(HTTPField(name: name, value: productToken))
            } else {
                fields.append(HTTPField(name: name, value: header.value))
            }
        }
        let target = request.query.isEmpty ? request.path : request.path + "?" + request.query
        return HTTPRequest(
            method: HTTPRequest.Method(request.method) ?? .get,
            scheme: request.scheme,
            authority: request.authority,
            path: target,
            headerFields: fields
        )
    }

    private static let securityToken = HTTPField.Name("x-amz-security-token")!
}
