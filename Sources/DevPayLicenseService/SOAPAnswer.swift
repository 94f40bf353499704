import DevPayXML

/// A SOAP 1.1 answer of the License Service: the Body's element is the same answer a REST-Query call
/// gets, or a `Fault` that maps to the same ``LicenseServiceErrorResponse`` as an `ErrorResponse`.
///
/// Fault reading (docs/license-service.md): the `<detail>` may carry the schema's `<Error>` elements
/// (`Type`, `Code`, `Message`), which win; otherwise the code comes from `faultcode`, whose local part is
/// `Client.Code` / `Server.Code` (AWS's SOAP style) or a bare `Client` / `Server`, and the message from
/// `faultstring`. `Client` (or SOAP 1.2's `Sender`) is the sender's fault, `Server` (`Receiver`) the service's.
enum SOAPAnswer {
    enum Unwrapped {
        case payload(XMLTreeElement)
        case fault(LicenseServiceErrorResponse)
        case problem(LicenseServiceResponseProblem)
    }

    static func unwrap(_ envelope: XMLTreeElement, status: Int, retryAfter: Duration?) -> Unwrapped {
        guard let body = envelope.child("Body") else { return .problem(.missingElement("Body")) }
        guard let payload = body.children.first else { return .problem(.missingElement("Body content")) }
        guard payload.localName == "Fault" else { return .payload(payload) }
        return .fault(fault(payload, status: status, retryAfter: retryAfter))
    }

    static func fault(_ fault: XMLTreeElement, status: Int, retryAfter: Duration?) -> LicenseServiceErrorResponse {
        let detail = fault.child(anyOf: "detail", "Detail")
        let requestID = detail.flatMap(Self.requestID)
        if let detail,
           let inner = LicenseServiceResponseDecoder.errorResponse(
               XMLTreeElement(localName: "ErrorResponse", children: detail.children), status: status, retryAfter: retryAfter)
        {
            return LicenseServiceErrorResponse(faults: inner.faults, requestID: requestID ?? inner.requestID,
                                               httpStatus: status, retryAfter: retryAfter)
        }
        let faultCode = fault.child("faultcode")?.text ?? ""
        // `soapenv:Client.ExpiredActivationKey` → class `Client`, code `ExpiredActivationKey`.
        let localPart = faultCode.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
        let classAndCode = localPart.split(separator: ".", maxSplits: 1).map(String.init)
        let faultClass = classAndCode.first ?? ""
        let party: LicenseServiceFaultParty? = switch faultClass {
        case "Client", "Sender": .sender
        case "Server", "Receiver": .receiver
        default: nil
        }
        let code = classAndCode.count == 2 ? classAndCode[1] : (faultClass.isEmpty ? "Fault" : faultClass)
        return LicenseServiceErrorResponse(
            faults: [LicenseServiceFault(code: LicenseServiceErrorCode(code), message: fault.child("faultstring")?.text ?? "",
                                         party: party)],
            requestID: requestID, httpStatus: status, retryAfter: retryAfter)
    }

    /// `RequestId` / `RequestID` anywhere in the fault's detail (AWS put it at the top or inside an element).
    private static func requestID(_ element: XMLTreeElement) -> String? {
        if ["RequestId", "RequestID"].contains(element.localName), !element.text.isEmpty { return element.text }
        for child in element.children {
            if let found = requestID(child) { return found }
        }
        return nil
    }
}
