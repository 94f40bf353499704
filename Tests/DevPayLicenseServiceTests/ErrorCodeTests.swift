import DevPayLicenseService
import Testing

@Suite("Error codes and the action each one requires")
struct ErrorCodeTests {
    static let expectations: [(String, LicenseServiceRequiredAction)] = [
        ("ExpiredActivationKey", .getNewActivationKey(activateURL: "http://www.amazon.com/dp-activate")),
        ("IncorrectActivationKey", .getNewActivationKey(activateURL: "http://www.amazon.com/dp-activate")),
        ("InvalidActivationKey", .getNewActivationKey(activateURL: "http://www.amazon.com/dp-activate")),
        ("InvalidProductToken", .fixProductToken(developerPageURL: "http://aws.amazon.com/devpayactivity")),
        ("InvalidUserToken", .reactivate(activateURL: "http://www.amazon.com/dp-activate")),
        ("MissingProductToken", .fixProductToken(developerPageURL: "http://aws.amazon.com/devpayactivity")),
        ("MissingUserToken", .reactivate(activateURL: "http://www.amazon.com/dp-activate")),
        ("UserNotSubscribed", .fixPayment(billingURL: "http://www.amazon.com/dp-applications")),
        ("AccessDenied", .reactivate(activateURL: "http://www.amazon.com/dp-activate")),
        ("InternalError", .retryLater(after: nil)),
        ("InvalidAccessKeyId", .reactivate(activateURL: "http://www.amazon.com/dp-activate")),
        ("InvalidClientTokenId", .reactivate(activateURL: "http://www.amazon.com/dp-activate")),
        ("InvalidParameterValue", .reportBug),
        ("MissingParameter", .reportBug),
        ("MalformedVersion", .reportBug),
        ("NoSuchVersion", .reportBug),
        ("RequestExpired", .correctClockAndRetry),
        ("RequestThrottled", .retryLater(after: nil)),
        ("RequiresSSL", .reportBug),
        ("SignatureDoesNotMatch", .reactivate(activateURL: "http://www.amazon.com/dp-activate")),
        ("ServiceUnavailable", .retryLater(after: nil)),
    ]

    @Test("every documented code is recognised, spelled back as sent, and mapped to its action",
          arguments: expectations)
    func documentedCode(_ code: String, _ action: LicenseServiceRequiredAction) {
        let parsed = LicenseServiceErrorCode(code)
        #expect(parsed.rawValue == code)
        #expect(LicenseServiceErrorCode.allDocumented.contains(parsed))
        #expect(parsed.requiredAction(party: .sender) == action)
    }

    @Test("the table above covers every documented code")
    func tableIsComplete() {
        #expect(LicenseServiceErrorCode.allDocumented.count == Self.expectations.count)
    }

    @Test("an unknown code survives as data; a Receiver fault asks for a retry, a Sender fault for a human")
    func unknownCode() {
        let code = LicenseServiceErrorCode("QuantumFluxError")
        #expect(code == .unknown("QuantumFluxError"))
        #expect(code.rawValue == "QuantumFluxError")
        #expect(code.requiredAction(party: .receiver) == .retryLater(after: nil))
        #expect(code.requiredAction(party: .sender) == .undetermined)
        #expect(code.requiredAction(party: nil) == .undetermined)
        // Codes are matched exactly, as the service spells them.
        #expect(LicenseServiceErrorCode("expiredactivationkey") == .unknown("expiredactivationkey"))
    }

    @Test("the first of several faults decides the action; all are kept")
    func severalFaults() {
        let response = LicenseServiceErrorResponse(
            faults: [
                LicenseServiceFault(code: .userNotSubscribed, message: "pending", party: .sender),
                LicenseServiceFault(code: .unknown("Other"), message: "", party: .receiver),
            ],
            requestID: "r1",
            httpStatus: 400
        )
        let error = LicenseServiceError.service(response)
        #expect(error.requiredAction == .fixPayment(billingURL: "http://www.amazon.com/dp-applications"))
        #expect(error.codes == [.userNotSubscribed, .unknown("Other")])
        #expect(error.description.contains("UserNotSubscribed: pending"))
        #expect(error.description.contains("r1"))
    }

    @Test("transport failures and unreadable answers ask for a later retry")
    func otherFailures() {
        #expect(LicenseServiceError.transport(.timeout).requiredAction == .retryLater(after: nil))
        #expect(LicenseServiceError.throttled(httpStatus: 503, retryAfter: .seconds(2)).requiredAction == .retryLater(after: .seconds(2)))
        #expect(LicenseServiceError.unexpectedResponse(httpStatus: 200, problem: .missingElement("UserToken")).requiredAction == .retryLater(after: nil))
    }
}
