import DevPaySigning
import Foundation

extension EmulatorEngine {
    /// Authenticates an S3 request as one customer's credential set, in S3's order: the key must exist, the
    /// time must be within 15 minutes (or the presigned URL unexpired), the signature must match; then the
    /// DevPay token pair must be this set's user token (unexpired, not awaiting a refresh) and its product's
    /// token, and the customer must be subscribed.
    func authenticate(_ request: S3SignedRequest) throws(S3Fault) -> CredentialSetRecord {
        let authorization = try S3Authorization.parse(request)
        guard let set = state.credentialSets[authorization.accessKeyID] else { throw .invalidAccessKeyID() }
        let now = self.now
        switch authorization {
        case .sigV2Header(_, _, let date):
            guard abs(date.timeIntervalSince(now)) <= Self.allowedClockSkew else { throw .requestTimeTooSkewed() }
        case .sigV4Header(_, _, let date):
            guard abs(date.timeIntervalSince(now)) <= Self.allowedClockSkew else { throw .requestTimeTooSkewed() }
        case .sigV4Query(_, _, let date, let expiresAt):
            guard date.timeIntervalSince(now) <= Self.allowedClockSkew else { throw .requestTimeTooSkewed() }
            guard now < expiresAt else { throw .accessDenied("Request has expired") }
        case .sigV2Query(_, _, _, let expiresAt):
            guard now < expiresAt else { throw .accessDenied("Request has expired") }
        }
        try S3SignatureCheck.verify(authorization, request: request, secretAccessKey: set.secretAccessKey)

        let tokens = securityTokens(request)
        guard let userToken = tokens.first(where: { $0.hasPrefix("{UserToken}") }),
              let productToken = tokens.first(where: { $0.hasPrefix("{ProductToken}") }) else {
            throw .missingSecurityHeader()
        }
        guard state.product(token: productToken)?.productCode == set.productCode else {
            throw .invalidToken("The provided product token is not valid for these credentials.")
        }
        guard userToken == set.userToken else {
            throw .invalidToken("The provided user token is malformed or otherwise invalid.")
        }
        if let expiry = set.userTokenExpiresAt, now >= expiry { throw .expiredToken() }
        if set.refreshRequired { throw .tokenRefreshRequired() }
        guard state.subscriptionStatus(customerID: set.customerID, productCode: set.productCode, at: now) == .subscribed
        else { throw .accessDenied("The customer is not subscribed to this DevPay product.") }
        return set
    }

    /// The DevPay tokens: repeated `x-amz-security-token` fields, or one holding both joined by a comma,
    /// or the presigned `X-Amz-Security-Token` / `x-amz-security-token` query parameter.
    private func securityTokens(_ request: S3SignedRequest) -> [String] {
        var values = request.headerValues("x-amz-security-token")
        if values.isEmpty {
            values = request.query.decodedPairs(formEncoded: false)
                .filter { $0.name.lowercased() == "x-amz-security-token" }.map(\.value)
        }
        return values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }
}
