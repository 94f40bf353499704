public import DevPayHTTP
public import DevPayXML

/// Why a License Service call failed; ``requiredAction`` says what the product must do about it.
public enum LicenseServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An input was malformed; nothing was sent.
    case invalidInput(LicenseServiceInputError)
    /// The service answered with one or more documented (or unknown) error codes.
    case service(LicenseServiceErrorResponse)
    /// The service kept answering HTTP 503 without a readable error (throttling) until retries ran out.
    case throttled(httpStatus: Int, retryAfter: Duration?)
    /// The answer could not be understood (not XML, or XML without the expected elements).
    case unexpectedResponse(httpStatus: Int, problem: LicenseServiceResponseProblem)
    /// No answer arrived (connection, TLS, timeout, cancellation).
    case transport(HTTPClientError)
    /// The retry engine's circuit breaker is open after repeated failures: no request was sent.
    case circuitOpen(retryAfter: Duration)

    /// What the product must do: the DevPay guide's "action to take" for this failure.
    public var requiredAction: LicenseServiceRequiredAction {
        switch self {
        case .invalidInput(let input):
            switch input {
            case .emptyActivationKey, .activationKeyTooLong, .activationKeyInvalidCharacter:
                .getNewActivationKey(activateURL: DevPayWebPages.activate)
            case .tokenMissingPrefix(let prefix), .tokenEmpty(let prefix), .tokenInvalidCharacter(let prefix, _),
                 .tokenTooLong(let prefix, _, _):
                prefix == ProductToken.prefix
                    ? .fixProductToken(developerPageURL: DevPayWebPages.developerActivity)
                    : .reactivate(activateURL: DevPayWebPages.activate)
            case .invalidCustomerKey:
                .reactivate(activateURL: DevPayWebPages.activate)
            case .invalidTokenExpiration:
                .reportBug
            case .clockOutOfRange:
                .correctClockAndRetry
            }
        case .service(let response):
            if case .retryLater = response.primary.requiredAction {
                .retryLater(after: response.retryAfter)
            } else {
                response.primary.requiredAction
            }
        case .throttled(_, let retryAfter):
            .retryLater(after: retryAfter)
        case .transport(.tls), .transport(.invalidURL):
            // Sending again meets the same certificate or the same refused URL (docs/retry.md).
            .fixConnectionSettings
        case .unexpectedResponse, .transport:
            .retryLater(after: nil)
        case .circuitOpen(let retryAfter):
            .retryLater(after: retryAfter)
        }
    }

    /// The service's error codes, when the service answered with any.
    public var codes: [LicenseServiceErrorCode] {
        if case .service(let response) = self { return response.faults.map(\.code) }
        return []
    }

    public var description: String {
        switch self {
        case .invalidInput(let input): "invalid input: \(input)"
        case .service(let response): "\(response)"
        case .throttled(let status, _): "the License Service throttled the request (HTTP \(status)) until retries ran out"
        case .unexpectedResponse(let status, let problem): "unexpected License Service answer (HTTP \(status)): \(problem)"
        case .transport(let error): "no answer from the License Service: \(error)"
        case .circuitOpen(let retryAfter): "not sent: too many recent failures; next try in \(retryAfter)"
        }
    }
}

/// What was wrong with an answer the client could not use.
public enum LicenseServiceResponseProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body is not acceptable XML.
    case unreadableXML(XMLReadError)
    /// The root element is not the one the action answers with (e.g. `ActivateDesktopProductResponse`).
    case unexpectedRoot(String)
    /// A required element is missing or empty.
    case missingElement(String)
    /// An element holds a value that does not pass the same checks as input (e.g. a user token without its prefix).
    case invalidValue(element: String, problem: LicenseServiceInputError)
    /// An error answer (non-2xx) without any `<Error>` element.
    case errorWithoutCode

    public var description: String {
        switch self {
        case .unreadableXML(let error): "\(error)"
        case .unexpectedRoot(let name): "unexpected root element <\(name)>"
        case .missingElement(let name): "missing or empty <\(name)>"
        case .invalidValue(let element, let problem): "<\(element)>: \(problem)"
        case .errorWithoutCode: "an error answer without an <Error> element"
        }
    }
}
