import DevPayLicenseService
import Testing

@Suite("Recorded License Service answers")
struct RecordedAnswerTests {
    let decoder = LicenseServiceResponseDecoder()

    @Test("every recorded body decodes to what cases.json says", arguments: RecordedCase.all)
    func recordedCase(_ recorded: RecordedCase) throws {
        let action = try #require(LicenseServiceAction(rawValue: recorded.action))
        let expect = recorded.expect
        let outcome = Result { () throws(LicenseServiceError) in
            try decoder.decode(action, status: recorded.status, body: try! recorded.body)
        }
        switch (expect.kind, outcome) {
        case ("activated", .success(let answer)):
            guard case .activated(let credentials) = answer.result else { Issue.record("not an activation: \(answer)"); return }
            #expect(credentials.userToken.value == expect.userToken)
            #expect(credentials.accessKeyID == expect.accessKeyID)
            #expect(credentials.secretAccessKey == expect.secretAccessKey)
            #expect(answer.requestID == expect.requestID)
        case ("subscription", .success(let answer)):
            let subscribed = try #require(expect.subscribed as Bool?)
            #expect(answer.result == .subscription(isSubscribed: subscribed))
            #expect(answer.requestID == expect.requestID)
        case ("refreshed", .success(let answer)):
            guard case .refreshedUserToken(let token) = answer.result else { Issue.record("not a refresh: \(answer)"); return }
            #expect(token.value == expect.userToken)
            #expect(answer.requestID == expect.requestID)
        case ("service", .failure(.service(let response))):
            #expect(response.faults.map(\.code.rawValue) == expect.codes)
            #expect(response.faults.map { OutcomeName.of($0.party) } == expect.parties)
            #expect(response.requestID == expect.requestID)
            #expect(response.httpStatus == recorded.status)
            #expect(OutcomeName.of(LicenseServiceError.service(response).requiredAction) == expect.requiredAction)
            if let detail = expect.detail {
                #expect(response.primary.detail == detail)
            }
        case ("throttled", .failure(.throttled(let status, _))):
            #expect(status == recorded.status)
        case ("unexpected", .failure(.unexpectedResponse(let status, let problem))):
            #expect(status == recorded.status)
            let name = OutcomeName.of(problem)
            #expect(name == expect.problem || (expect.problem == "unreadableXML" && name.hasPrefix("unreadableXML")), "\(problem)")
        default:
            Issue.record("expected \(expect.kind), got \(outcome)")
        }
    }

    @Test("the guide's sample, with values indented on lines of their own, gives trimmed credentials")
    func guideSample() throws {
        let body = try #require(RecordedCase.all.first { $0.file == "activate-guide-sample.xml" }).body
        let answer = try decoder.decode(.activateDesktopProduct, status: 200, body: body)
        guard case .activated(let credentials) = answer.result else { Issue.record("not an activation"); return }
        #expect(credentials.accessKeyID == "AKIAIOSFODNN7EXAMPLE")
        #expect(credentials.secretAccessKey == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        #expect(credentials.userToken.value.hasPrefix("{UserToken}AAAHVXNlclRrbgfOpSykBAXO7g/zG"))
        #expect(answer.requestID == "cb919c0a-9bce-4afe-9b48-9bdf2412bb67")
    }

    @Test("every documented error code and both parties appear among the recorded bodies or the code tests")
    func recordedCoverage() {
        let recordedCodes = Set(RecordedCase.all.flatMap { $0.expect.codes ?? [] })
        for action in LicenseServiceAction.allCases {
            #expect(RecordedCase.all.contains { $0.action == action.rawValue && $0.expect.kind != "service" && $0.expect.kind != "unexpected" })
            #expect(RecordedCase.all.contains { $0.action == action.rawValue && $0.expect.kind == "service" })
        }
        #expect(recordedCodes.contains("ExpiredActivationKey"))
        #expect(recordedCodes.isSuperset(of: ["IncorrectActivationKey", "InvalidActivationKey", "InvalidProductToken",
                                              "InvalidUserToken", "MissingProductToken", "MissingUserToken", "UserNotSubscribed"]))
    }

    @Test("a huge answer, made here rather than committed, is refused by the size cap without parsing")
    func hugeAnswer() {
        let body = Array("<ActivateDesktopProductResponse><ActivateDesktopProductResult><UserToken>{UserToken}".utf8)
            + [UInt8](repeating: UInt8(ascii: "A"), count: 8 << 20)
            + Array("</UserToken></ActivateDesktopProductResult></ActivateDesktopProductResponse>".utf8)
        #expect(throws: LicenseServiceError.unexpectedResponse(httpStatus: 200, problem: .unreadableXML(.tooLarge(limit: 256 << 10)))) {
            try decoder.decode(.activateDesktopProduct, status: 200, body: body)
        }
    }

    @Test("a user token too long for any real answer is an invalid value, not a crash")
    func overlongToken() {
        let token = "{UserToken}" + String(repeating: "A", count: 5_000)
        let body = Array("<RefreshUserTokenResponse><RefreshUserTokenResult><UserToken>\(token)</UserToken></RefreshUserTokenResult></RefreshUserTokenResponse>".utf8)
        #expect(throws: LicenseServiceError.unexpectedResponse(
            httpStatus: 200,
            problem: .invalidValue(element: "UserToken", problem: .tokenTooLong(prefix: "{UserToken}", length: token.count, limit: 4096))
        )) {
            try decoder.decode(.refreshUserToken, status: 200, body: body)
        }
    }

    @Test("an empty 503 is throttling and keeps its Retry-After; an empty 500 is an unexpected answer")
    func emptyBodies() {
        #expect(throws: LicenseServiceError.throttled(httpStatus: 503, retryAfter: .seconds(3))) {
            try decoder.decode(.verifyProductSubscriptionByTokens, status: 503, retryAfter: .seconds(3), body: [])
        }
        #expect(throws: LicenseServiceError.unexpectedResponse(httpStatus: 500, problem: .unreadableXML(.empty))) {
            try decoder.decode(.verifyProductSubscriptionByTokens, status: 500, body: [])
        }
    }

    @Test("a coded error answer with Retry-After asks to retry after that delay")
    func retryAfterOnServiceError() throws {
        let body = try #require(RecordedCase.all.first { $0.file == "error-request-throttled-2008.xml" }).body
        do {
            _ = try decoder.decode(.activateDesktopProduct, status: 503, retryAfter: .seconds(7), body: body)
            Issue.record("a throttled answer decoded as success")
        } catch {
            #expect(error.requiredAction == .retryLater(after: .seconds(7)))
            #expect(error.codes == [.requestThrottled])
        }
    }
}
