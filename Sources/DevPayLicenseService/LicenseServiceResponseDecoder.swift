public import DevPayXML

/// Turns one HTTP answer of the License Service into a ``LicenseServiceAnswer`` or a ``LicenseServiceError``.
///
/// Pure (no I/O, no clock), so every recorded body in `Specs/license-service/` and the fuzzer drive it
/// directly. Rules (docs/license-service.md): an `ErrorResponse` is an error whatever the status; errors are
/// classified by `Code`, not by status; a 503 without a readable error is throttling. A SOAP envelope is
/// unwrapped first: its Body holds the same answer elements, or a fault that becomes the same typed error.
public struct LicenseServiceResponseDecoder: Sendable {
    /// The bounds answers are parsed within.
    public var xmlReader: XMLReader

    /// Creates a decoder; the default limits are far above any real answer (a few KiB).
    public init(xmlLimits: XMLReadLimits = XMLReadLimits(maximumBytes: 256 << 10, maximumDepth: 16, maximumElements: 1_000)) {
        xmlReader = XMLReader(limits: xmlLimits)
    }

    /// Decodes the answer to `action` that came with `status`, the parsed `Retry-After` delay and `body`.
    public func decode(
        _ action: LicenseServiceAction,
        status: Int,
        retryAfter: Duration? = nil,
        body: [UInt8]
    ) throws(LicenseServiceError) -> LicenseServiceAnswer {
        var root: XMLTreeElement
        do {
            root = try xmlReader.read(body)
        } catch {
            if status == 503 {
                throw .throttled(httpStatus: status, retryAfter: retryAfter)
            }
            throw .unexpectedResponse(httpStatus: status, problem: .unreadableXML(error))
        }
        if root.localName == "Envelope" {
            switch SOAPAnswer.unwrap(root, status: status, retryAfter: retryAfter) {
            case .payload(let payload): root = payload
            case .fault(let response): throw .service(response)
            case .problem(let problem):
                throw status == 503 ? .throttled(httpStatus: status, retryAfter: retryAfter)
                    : .unexpectedResponse(httpStatus: status, problem: problem)
            }
        }
        if let errorResponse = Self.errorResponse(root, status: status, retryAfter: retryAfter) {
            throw .service(errorResponse)
        }
        guard (200..<300).contains(status) else {
            if status == 503 {
                throw .throttled(httpStatus: status, retryAfter: retryAfter)
            }
            throw .unexpectedResponse(httpStatus: status, problem: .errorWithoutCode)
        }
        do {
            return try Self.success(action, root)
        } catch {
            throw .unexpectedResponse(httpStatus: status, problem: error)
        }
    }

    /// Reads an `ErrorResponse` (or an AWS `Response` with `Errors`), or returns nil when `root` is neither or
    /// holds no coded `Error`.
    static func errorResponse(_ root: XMLTreeElement, status: Int, retryAfter: Duration?) -> LicenseServiceErrorResponse? {
        guard root.localName == "ErrorResponse" || root.localName == "Response" else { return nil }
        let errorElements = root.children("Error") + (root.child("Errors")?.children("Error") ?? [])
        let faults = errorElements.compactMap { element -> LicenseServiceFault? in
            guard let code = element.child("Code")?.text, !code.isEmpty else { return nil }
            return LicenseServiceFault(
                code: LicenseServiceErrorCode(code),
                message: element.child("Message")?.text ?? "",
                party: element.child("Type").map { LicenseServiceFaultParty($0.text) },
                detail: element.child("Detail").flatMap { $0.text.isEmpty ? nil : $0.text }
            )
        }
        guard !faults.isEmpty else { return nil }
        return LicenseServiceErrorResponse(faults: faults, requestID: requestID(root), httpStatus: status, retryAfter: retryAfter)
    }

    /// `RequestID` (2008 schema) or `RequestId` (2007), directly under the root or in `ResponseMetadata`.
    static func requestID(_ root: XMLTreeElement) -> String? {
        let spellings = ["RequestID", "RequestId"]
        let element = root.children.first { spellings.contains($0.localName) }
            ?? root.child("ResponseMetadata")?.children.first { spellings.contains($0.localName) }
        return element.flatMap { $0.text.isEmpty ? nil : $0.text }
    }

    static func success(_ action: LicenseServiceAction, _ root: XMLTreeElement) throws(LicenseServiceResponseProblem) -> LicenseServiceAnswer {
        guard root.localName == action.responseElement else { throw .unexpectedRoot(root.localName) }
        guard let result = root.child(action.resultElement) else { throw .missingElement(action.resultElement) }
        let decoded: LicenseServiceAnswer.Result
        switch action {
        case .activateDesktopProduct:
            let userToken = try userToken(in: result)
            let accessKeyID = try value("AWSAccessKeyId", in: result)
            let secretAccessKey = try value("SecretAccessKey", in: result)
            do {
                decoded = .activated(try CustomerCredentials(userToken: userToken, accessKeyID: accessKeyID, secretAccessKey: secretAccessKey))
            } catch {
                throw .invalidValue(element: "AWSAccessKeyId or SecretAccessKey", problem: error)
            }
        case .verifyProductSubscriptionByTokens:
            // xs:boolean allows 1 and 0 beside true and false.
            switch try value("Subscribed", in: result) {
            case "true", "1": decoded = .subscription(isSubscribed: true)
            case "false", "0": decoded = .subscription(isSubscribed: false)
            default: throw .missingElement("Subscribed")
            }
        case .refreshUserToken:
            decoded = .refreshedUserToken(try userToken(in: result))
        }
        return LicenseServiceAnswer(result: decoded, requestID: requestID(root))
    }

    private static func value(_ name: String, in element: XMLTreeElement) throws(LicenseServiceResponseProblem) -> String {
        guard let text = element.child(name)?.text, !text.isEmpty else { throw .missingElement(name) }
        return text
    }

    private static func userToken(in element: XMLTreeElement) throws(LicenseServiceResponseProblem) -> UserToken {
        let text = try value("UserToken", in: element)
        do {
            return try UserToken(text)
        } catch {
            throw .invalidValue(element: "UserToken", problem: error)
        }
    }
}
