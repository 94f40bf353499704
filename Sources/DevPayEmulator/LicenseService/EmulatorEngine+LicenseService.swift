import Foundation

extension EmulatorEngine {
    static let allowedClockSkew: TimeInterval = 15 * 60

    func activate(activationKey: String, productToken: String, tokenLifetime: Int?) throws(LicenseServiceFault)
        -> CredentialSetRecord
    {
        do {
            return try update { state, factory, now in
                try state.activate(activationKey: activationKey, productToken: productToken,
                                   tokenLifetime: tokenLifetime, now: now, factory: &factory)
            }
        } catch let fault as LicenseServiceFault {
            throw fault
        } catch {
            logger.error("emulator state write failed", metadata: ["error": "\(error)"])
            throw LicenseServiceFault(code: "InternalError", message: "internal error", kind: .receiver, status: 500)
        }
    }

    func verifySubscription(_ request: LicenseServiceRequest) throws(LicenseServiceFault) -> [(String, String)] {
        let (set, now) = try authenticateTokens(request, productTokenParameter: "ProductToken")
        switch state.subscriptionStatus(customerID: set.customerID, productCode: set.productCode, at: now) {
        case .subscribed: return [("Subscribed", "true")]
        case .pending, .cancelled, nil: return [("Subscribed", "false")]
        case .paymentFailed: throw .userNotSubscribed()
        }
    }

    func refreshUserToken(_ request: LicenseServiceRequest) throws(LicenseServiceFault) -> [(String, String)] {
        let (set, _) = try authenticateTokens(request, productTokenParameter: "AdditionalTokens")
        do {
            let refreshed = try update { state, factory, now in
                state.refresh(accessKeyID: set.accessKeyID, now: now, factory: &factory)
            }
            guard let refreshed else { throw LicenseServiceFault.invalidAccessKeyID() }
            return [("UserToken", refreshed.userToken)]
        } catch let fault as LicenseServiceFault {
            throw fault
        } catch {
            throw LicenseServiceFault(code: "InternalError", message: "internal error", kind: .receiver, status: 500)
        }
    }

    /// Checks a signed call: required parameters, the customer's Access Key ID, the SigV1 signature, the
    /// request time, then that the user token is this customer's, for this product, and not expired.
    private func authenticateTokens(_ request: LicenseServiceRequest, productTokenParameter: String)
        throws(LicenseServiceFault) -> (CredentialSetRecord, Date)
    {
        let lookup = request.lookup
        guard let userToken = lookup["UserToken"], !userToken.isEmpty else {
            throw .missing("MissingUserToken", "UserToken")
        }
        guard let productToken = lookup[productTokenParameter], !productToken.isEmpty else {
            throw productTokenParameter == "ProductToken"
                ? .missing("MissingProductToken", "ProductToken") : .missingParameter(productTokenParameter)
        }
        for required in ["AWSAccessKeyId", "SignatureVersion", "Signature"] where (lookup[required] ?? "").isEmpty {
            throw .missingParameter(required)
        }
        guard lookup["SignatureVersion"] == "1" else {
            throw .invalidParameterValue("SignatureVersion must be 1 for the License Service.")
        }
        guard let set = state.credentialSets[lookup["AWSAccessKeyId"]!] else { throw .invalidAccessKeyID() }
        guard LicenseServiceSignature.matches(parameters: request.parameters, accessKeyID: set.accessKeyID,
                                              signature: lookup["Signature"]!,
                                              secretAccessKey: set.secretAccessKey) else {
            throw .signatureDoesNotMatch()
        }
        let now = self.now
        switch (lookup["Timestamp"], lookup["Expires"]) {
        case (nil, nil): throw .missingParameter("Timestamp")
        case (.some, .some): throw .invalidParameterValue("Timestamp and Expires cannot both be present.")
        case (let timestamp?, nil):
            guard let instant = Self.parseISO8601(timestamp) else {
                throw .invalidParameterValue("Timestamp must be ISO 8601 (YYYY-MM-DDThh:mm:ssZ).")
            }
            guard abs(instant.timeIntervalSince(now)) <= Self.allowedClockSkew else {
                throw .requestExpired("The request timestamp is more than 15 minutes from the service's time.")
            }
        case (nil, let expires?):
            guard let instant = Self.parseISO8601(expires) else {
                throw .invalidParameterValue("Expires must be ISO 8601 (YYYY-MM-DDThh:mm:ssZ).")
            }
            guard instant > now else { throw .requestExpired("The request has expired.") }
        }
        let owner = try state.credentialSet(userToken: userToken, productToken: productToken, now: now)
        guard owner.accessKeyID == set.accessKeyID else {
            throw .invalidUserToken("The user token does not belong to the signing Access Key ID.")
        }
        return (set, now)
    }

    static func parseISO8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
