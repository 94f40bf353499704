/// Who the service blames for an error (`<Type>`).
public enum LicenseServiceFaultParty: Sendable, Hashable {
    /// The request was at fault (`Sender`).
    case sender
    /// The service was at fault (`Receiver`).
    case receiver
    /// Any other value, kept as sent.
    case other(String)

    /// The party for the wire text `type`.
    public init(_ type: String) {
        switch type {
        case "Sender": self = .sender
        case "Receiver": self = .receiver
        default: self = .other(type)
        }
    }
}

/// One `<Error>` element of an error answer.
public struct LicenseServiceFault: Sendable, Hashable, CustomStringConvertible {
    /// The error code.
    public var code: LicenseServiceErrorCode
    /// The service's message (may be empty).
    public var message: String
    /// `Sender` or `Receiver`, when the answer said.
    public var party: LicenseServiceFaultParty?
    /// The optional `<Detail>` text.
    public var detail: String?

    /// Creates a fault from its parts.
    public init(code: LicenseServiceErrorCode, message: String, party: LicenseServiceFaultParty? = nil, detail: String? = nil) {
        self.code = code
        self.message = message
        self.party = party
        self.detail = detail
    }

    /// What the product must do about this fault.
    public var requiredAction: LicenseServiceRequiredAction { code.requiredAction(party: party) }

    public var description: String { message.isEmpty ? code.rawValue : "\(code.rawValue): \(message)" }
}

/// A whole error answer: one or more faults, the request id and the HTTP status.
public struct LicenseServiceErrorResponse: Sendable, Hashable, CustomStringConvertible {
    /// Every `<Error>` element, in document order; never empty.
    public var faults: [LicenseServiceFault]
    /// `RequestID` (2008 schema) or `RequestId` (2007), when present.
    public var requestID: String?
    /// The HTTP status the answer came with.
    public var httpStatus: Int
    /// The `Retry-After` delay the answer carried, if any.
    public var retryAfter: Duration?

    /// Creates an error answer from its parts.
    public init(faults: [LicenseServiceFault], requestID: String?, httpStatus: Int, retryAfter: Duration? = nil) {
        precondition(!faults.isEmpty, "an error answer has at least one fault")
        self.faults = faults
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    /// The first fault, which decides the required action.
    public var primary: LicenseServiceFault { faults[0] }

    public var description: String {
        let faultList = faults.map(\.description).joined(separator: "; ")
        return "License Service error \(httpStatus) [\(faultList)] request id \(requestID ?? "none")"
    }
}
