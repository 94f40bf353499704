import DevPaySigning
import Foundation

/// Turns one `devpay sign` input line into one output line. Errors become `{"error": …}` and never hold a
/// secret: messages name fields, not values.
struct SignLineProcessor {
    /// A problem with the input line itself.
    struct LineError: Error {
        var message: String
    }

    func process(_ line: String) -> Data {
        do {
            let (request, encodedBody) = try sign(line)
            var output: [String: Any] = ["method": request.method, "url": request.url,
                                         "headers": request.headers.map { [$0.name, $0.value] }]
            if let encodedBody { output["body_base64"] = Data(encodedBody).base64EncodedString() }
            return try encode(output)
        } catch let error as SigningError {
            return (try? encode(["error": error.description])) ?? Data()
        } catch let error as LineError {
            return (try? encode(["error": error.message])) ?? Data()
        } catch {
            return (try? encode(["error": "unexpected failure"])) ?? Data()
        }
    }

    private func encode(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The signed request, and for `s3v4-chunked` the body as it must be sent (aws-chunked, signed chunks).
    private func sign(_ line: String) throws -> (SigningRequest, [UInt8]?) {
        guard let data = line.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any]
        else { throw LineError(message: "line is not a JSON object") }
        let input = InputFields(fields)
        let scheme = try input.string("scheme")
        let time = try SigningTime(iso8601: try input.string("time"))
        let credentials = try input.credentials()

        if scheme == "lsv1" {
            return (try signLicenseService(input, credentials: credentials, time: time), nil)
        }
        var request = try SigningRequest(method: try input.string("method"), url: try input.string("url"),
                                         headers: try input.headers())
        switch scheme {
        case "s3v4":
            let signer = try SigV4Signer(credentials: credentials, region: try input.region(), service: try input.service())
            let payload: SigV4Payload = try input.bool("unsigned_payload") ?? false ? .unsigned : .hash(of: try input.body())
            try signer.sign(&request, at: time, payload: payload)
        case "s3v4-presign":
            let signer = try SigV4Signer(credentials: credentials, region: try input.region(), service: try input.service())
            try signer.presign(&request, at: time, expires: try input.int("expires") ?? 3600)
        case "s3v2":
            try S3SigV2Signer(credentials: credentials).sign(&request, at: time,
                                                            addressing: .infer(fromHost: request.authority))
        case "s3v2-presign":
            // Naming this scheme is the explicit opt-in to a token in the URL.
            let expiresAt = try time.adding(seconds: Int64(try input.int("expires") ?? 3600))
            try S3SigV2Signer(credentials: credentials).presign(
                &request, expiresAt: expiresAt, addressing: .infer(fromHost: request.authority), allowingTokenInURL: true)
        case "s3v4-chunked":
            let signer = try SigV4Signer(credentials: credentials, region: try input.region(), service: try input.service())
            let body = try input.body()
            let chunkSize = try input.int("chunk_size") ?? 65_536
            var chunks = try signer.signStreaming(
                &request, at: time, decodedContentLength: body.count, chunkSize: chunkSize)
            var encoded: [UInt8] = []
            var offset = 0
            while offset < body.count {
                let end = min(offset + chunkSize, body.count)
                encoded += chunks.encode(body[offset..<end])
                offset = end
            }
            return (request, encoded + chunks.finish())
        default:
            throw LineError(message: "unknown scheme (s3v4, s3v4-presign, s3v4-chunked, s3v2, s3v2-presign, lsv1)")
        }
        return (request, nil)
    }

    /// SigV1: `params` (plus any already in the URL's query) with `AWSAccessKeyId`, `SignatureVersion=1` and
    /// `Timestamp` added unless given (`Expires` replaces `Timestamp`).
    private func signLicenseService(_ input: InputFields, credentials: SigningCredentials, time: SigningTime) throws
        -> SigningRequest
    {
        let signer = try LicenseServiceSigner(credentials: credentials)
        var request = try SigningRequest(method: try input.optionalString("method") ?? "GET", url: try input.string("url"),
                                         headers: try input.headers())
        var parameters = request.query.split(separator: "&").map { pair -> QueryParameter in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in text.removingPercentEncoding ?? String(text) }
            return QueryParameter(decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
        parameters += try input.parameters()
        let names = Set(parameters.map(\.name))
        for parameter in signer.signingParameters(at: time) where !names.contains(parameter.name) {
            if parameter.name == "Timestamp", names.contains("Expires") { continue }
            parameters.append(parameter)
        }
        request.query = signer.signedQuery(for: parameters)
        return request
    }
}

/// Typed reads of the input object's fields, with errors that name the field.
private struct InputFields {
    let fields: [String: Any]

    init(_ fields: [String: Any]) {
        self.fields = fields
    }

    func optionalString(_ name: String) throws -> String? {
        guard let value = fields[name], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw SignLineProcessor.LineError(message: "\(name) must be a string") }
        return text
    }

    func string(_ name: String) throws -> String {
        guard let text = try optionalString(name) else { throw SignLineProcessor.LineError(message: "missing \(name)") }
        return text
    }

    func int(_ name: String) throws -> Int? {
        guard let value = fields[name], !(value is NSNull) else { return nil }
        if !(type(of: value) == Bool.self), let integer = value as? Int { return integer }
        if !(type(of: value) == Bool.self), let number = value as? Double, let integer = Int(exactly: number) {
            return integer
        }
        throw SignLineProcessor.LineError(message: "\(name) must be an integer")
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = fields[name], !(value is NSNull) else { return nil }
        guard let flag = value as? Bool else { throw SignLineProcessor.LineError(message: "\(name) must be true or false") }
        return flag
    }

    func region() throws -> String { try optionalString("region") ?? "us-east-1" }
    func service() throws -> String { try optionalString("service") ?? "s3" }

    func headers() throws -> [HTTPHeader] {
        guard let value = fields["headers"], !(value is NSNull) else { return [] }
        guard let pairs = value as? [Any] else { throw SignLineProcessor.LineError(message: "headers must be a list of [name, value]") }
        return try pairs.map { pair in
            guard let pair = pair as? [Any], pair.count == 2, let name = pair[0] as? String, let value = pair[1] as? String
            else { throw SignLineProcessor.LineError(message: "headers must be a list of [name, value]") }
            return HTTPHeader(name, value)
        }
    }

    func body() throws -> [UInt8] {
        guard let encoded = try optionalString("body_base64") else { return [] }
        guard let data = Data(base64Encoded: encoded) else { throw SignLineProcessor.LineError(message: "body_base64 is not Base64") }
        return Array(data)
    }

    func parameters() throws -> [QueryParameter] {
        guard let value = fields["params"], !(value is NSNull) else { return [] }
        guard let object = value as? [String: Any] else { throw SignLineProcessor.LineError(message: "params must be an object") }
        return try object.keys.sorted().map { name in
            guard let text = object[name] as? String else {
                throw SignLineProcessor.LineError(message: "params values must be strings")
            }
            return QueryParameter(name, text)
        }
    }

    func credentials() throws -> SigningCredentials {
        let accessKeyID = try optionalString("access_key_id") ?? ""
        let secret = try optionalString("secret_access_key") ?? ""
        let session = try optionalString("session_token")
        let user = try optionalString("user_token")
        let product = try optionalString("product_token")
        var token: SecurityToken? = session.map(SecurityToken.session)
        switch (user, product) {
        case (nil, nil):
            break
        case (let user?, let product?):
            guard session == nil else {
                throw SignLineProcessor.LineError(message: "give session_token or user_token+product_token, not both")
            }
            token = .devPay(userToken: user, productToken: product)
        default:
            throw SigningError.incompleteDevPayTokens
        }
        return SigningCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, securityToken: token)
    }
}
