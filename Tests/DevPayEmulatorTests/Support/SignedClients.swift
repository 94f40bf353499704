import DevPayEmulator
import DevPaySigning
import Foundation

/// One activation's credentials, as a client holds them.
struct CustomerCredentials: Sendable {
    var userToken: String
    var accessKeyID: String
    var secret: String
    var productToken: String

    var signing: SigningCredentials {
        .devPay(accessKeyID: accessKeyID, secretAccessKey: secret, userToken: userToken, productToken: productToken)
    }
}

extension EmulatorFixture {
    func customer(_ product: EmulatorProduct, _ key: IssuedActivationKey, tokenExpiration: Int? = nil)
        async throws -> CustomerCredentials
    {
        let set = try await activate(product, key, tokenExpiration: tokenExpiration)
        return CustomerCredentials(userToken: set.userToken, accessKeyID: set.accessKeyID, secret: set.secret,
                                   productToken: product.productToken)
    }

    /// A SigV1-signed License Service call at `time` (default: the emulator's now), with DevPaySigning.
    func signedLicenseService(_ action: String, _ credentials: CustomerCredentials, at time: Date? = nil,
                              parameters: [(String, String)]? = nil, secret: String? = nil) async throws
        -> CurlClient.Reply
    {
        let instant = if let time { time } else { await server.now() }
        let signer = try LicenseServiceSigner(credentials: SigningCredentials(
            accessKeyID: credentials.accessKeyID, secretAccessKey: secret ?? credentials.secret))
        let tokenParameter = action == "RefreshUserToken" ? "AdditionalTokens" : "ProductToken"
        let base = parameters ?? [("UserToken", credentials.userToken), (tokenParameter, credentials.productToken)]
        let all = [QueryParameter("Action", action), QueryParameter("Version", "2008-04-28")]
            + base.map { QueryParameter($0.0, $0.1) }
            + signer.signingParameters(at: try SigningTime(secondsSince1970: Int64(instant.timeIntervalSince1970)))
        return try await client.send("GET", url("/?" + signer.signedQuery(for: all)))
    }

    enum Scheme { case sigV4, sigV2 }

    /// An S3 request signed by DevPaySigning at `time` (default: the emulator's now), sent with curl.
    func s3(_ method: String, _ path: String, body: Data? = nil, _ credentials: CustomerCredentials,
            scheme: Scheme = .sigV4, at time: Date? = nil, splittingTokenFields: Bool = false) async throws
        -> CurlClient.Reply
    {
        let instant = if let time { time } else { await server.now() }
        let signingTime = try SigningTime(secondsSince1970: Int64(instant.timeIntervalSince1970))
        var request = try SigningRequest(method: method, url: url(path),
                                         headers: body == nil ? [] : [HTTPHeader("Content-Type", "application/octet-stream")])
        switch scheme {
        case .sigV4:
            try SigV4Signer(credentials: credentials.signing, region: "us-east-1")
                .sign(&request, at: signingTime, payload: .hash(of: Array(body ?? Data())))
        case .sigV2:
            try S3SigV2Signer(credentials: credentials.signing).sign(&request, at: signingTime)
        }
        var headers: [String: String] = [:]
        var extra: [String] = []
        for header in request.headers {
            if splittingTokenFields, header.name.lowercased() == "x-amz-security-token" {
                // The DevPay guide's other form: one field per token, user token first.
                for token in header.value.split(separator: ",") { extra += ["-H", "x-amz-security-token: \(token)"] }
            } else {
                headers[header.name] = header.value
            }
        }
        return try await client.send(method, request.url, headers: headers, body: body, extraArguments: extra)
    }
}
