import Foundation
import Hummingbird

/// The License Service actions a desktop product uses, REST-Query style: `ActivateDesktopProduct`
/// (unsigned), `VerifyProductSubscriptionByTokens` and `RefreshUserToken` (signature version 1 with the
/// customer's keys); and `ActivateDesktopProduct` as SOAP.
struct LicenseServiceHandler: Sendable {
    let engine: EmulatorEngine

    func respond(parameters: [(name: String, value: String)]) async -> Response {
        let requestID = await engine.requestID()
        var lookup: [String: String] = [:]
        for (name, value) in parameters where lookup[name] == nil { lookup[name] = value }
        let version = lookup["Version"] ?? LicenseServiceXML.legacyVersion
        do {
            guard [LicenseServiceXML.currentVersion, LicenseServiceXML.legacyVersion].contains(version) else {
                throw LicenseServiceFault.noSuchVersion(version)
            }
            guard let action = lookup["Action"], !action.isEmpty else { throw LicenseServiceFault.missingParameter("Action") }
            let result: [(String, String)]
            switch action {
            case "ActivateDesktopProduct":
                result = try await activate(lookup)
            case "VerifyProductSubscriptionByTokens":
                result = try await engine.verifySubscription(LicenseServiceRequest(parameters: parameters, lookup: lookup))
            case "RefreshUserToken":
                result = try await engine.refreshUserToken(LicenseServiceRequest(parameters: parameters, lookup: lookup))
            default:
                throw LicenseServiceFault.invalidAction(action)
            }
            return HTTPAnswers.xml(LicenseServiceXML.success(action: action, version: version, requestID: requestID,
                                                             result: result), requestID: requestID)
        } catch let fault as LicenseServiceFault {
            return HTTPAnswers.xml(LicenseServiceXML.error(fault, requestID: requestID,
                                                           version: version == LicenseServiceXML.legacyVersion
                                                               ? version : LicenseServiceXML.currentVersion),
                                   status: .init(code: fault.status), requestID: requestID)
        } catch {
            let fault = LicenseServiceFault(code: "InternalError", message: "internal error", kind: .receiver, status: 500)
            return HTTPAnswers.xml(LicenseServiceXML.error(fault, requestID: requestID), status: .internalServerError,
                                   requestID: requestID)
        }
    }

    /// A SOAP request: only `ActivateDesktopProduct` (the guide makes the signed actions REST-Query only for
    /// desktop products). Faults are SOAP faults with HTTP 500 (503 for throttling), as SOAP 1.1 has it.
    func respondSOAP(body: Data) async -> Response {
        let requestID = await engine.requestID()
        do {
            let call = try SOAPRequestReader.read(body)
            let versions = [LicenseServiceXML.currentVersion, LicenseServiceXML.legacyVersion]
            guard let version = versions.first(where: { LicenseServiceXML.namespace(version: $0) == call.namespace }) else {
                throw LicenseServiceFault.noSuchVersion(call.namespace)
            }
            guard call.action == "ActivateDesktopProduct" else { throw LicenseServiceFault.invalidAction(call.action) }
            var lookup: [String: String] = [:]
            for (name, value) in call.parameters where lookup[name] == nil { lookup[name] = value }
            let result = try await activate(lookup)
            let answer = LicenseServiceXML.success(action: call.action, version: version, requestID: requestID, result: result)
            return HTTPAnswers.xml(LicenseServiceXML.soapEnvelope(answer), requestID: requestID)
        } catch {
            return Self.soapFault(error as? LicenseServiceFault
                ?? LicenseServiceFault(code: "InternalError", message: "internal error", kind: .receiver, status: 500),
                requestID: requestID)
        }
    }

    /// A fault as a SOAP answer: 503 stays 503 so clients see throttling, every other fault is a 500.
    static func soapFault(_ fault: LicenseServiceFault, requestID: String, extraHeaders: HTTPFields = [:]) -> Response {
        HTTPAnswers.xml(LicenseServiceXML.soapFault(fault, requestID: requestID),
                        status: .init(code: fault.status == 503 ? 503 : 500), requestID: requestID,
                        extraHeaders: extraHeaders)
    }

    private func activate(_ lookup: [String: String]) async throws -> [(String, String)] {
        guard let productToken = lookup["ProductToken"], !productToken.isEmpty else {
            throw LicenseServiceFault.missing("MissingProductToken", "ProductToken")
        }
        guard let key = lookup["ActivationKey"], !key.isEmpty else {
            throw LicenseServiceFault.missingParameter("ActivationKey")
        }
        guard key.count <= 30, key.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
            throw LicenseServiceFault.invalidActivationKey()
        }
        let lifetime = try lookup["TokenExpiration"].map { text throws(LicenseServiceFault) in
            guard let seconds = Self.durationSeconds(text), seconds > 0 else {
                throw .invalidParameterValue("TokenExpiration must be a positive number of seconds.")
            }
            return seconds
        }
        let set = try await engine.activate(activationKey: key, productToken: productToken, tokenLifetime: lifetime)
        return [("UserToken", set.userToken), ("AWSAccessKeyId", set.accessKeyID), ("SecretAccessKey", set.secretAccessKey)]
    }

    /// Seconds from `TokenExpiration`: a plain integer, or an `xs:duration` of the form `PT…S`.
    static func durationSeconds(_ text: String) -> Int? {
        if let seconds = Int(text) { return seconds }
        guard text.hasPrefix("PT"), text.hasSuffix("S") else { return nil }
        return Int(text.dropFirst(2).dropLast())
    }
}

/// A signed License Service request: its parameters in order (for the signature) and by name.
struct LicenseServiceRequest: Sendable {
    var parameters: [(name: String, value: String)]
    var lookup: [String: String]
}
