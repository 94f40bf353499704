import DevPayRetry
import Testing

@Suite("classifying failed attempts")
struct RetryClassificationTests {
    @Test("503 and 429 are throttling, 500/502/504 transient, other statuses permanent")
    func statuses() {
        #expect(RetryClassification.errorClass(forHTTPStatus: 503) == .throttling)
        #expect(RetryClassification.errorClass(forHTTPStatus: 429) == .throttling)
        for status in [500, 502, 504] {
            #expect(RetryClassification.errorClass(forHTTPStatus: status) == .transient)
        }
        for status in [200, 301, 400, 401, 403, 404, 409, 501, 505] {
            #expect(RetryClassification.errorClass(forHTTPStatus: status) == .permanent)
        }
    }

    @Test("AWS throttling codes, including every Throttling* code, are throttling")
    func throttlingCodes() {
        for code in ["RequestThrottled", "SlowDown", "ServiceUnavailable", "Throttling", "ThrottlingException"] {
            #expect(RetryClassification.errorClass(forServiceErrorCode: code) == .throttling, "\(code)")
        }
    }

    @Test("InternalError and RequestTimeout are transient; unknown codes leave the decision to the status")
    func transientAndUnknownCodes() {
        #expect(RetryClassification.errorClass(forServiceErrorCode: "InternalError") == .transient)
        #expect(RetryClassification.errorClass(forServiceErrorCode: "RequestTimeout") == .transient)
        #expect(RetryClassification.errorClass(forServiceErrorCode: "AccessDenied") == nil)
        #expect(RetryClassification.errorClass(forServiceErrorCode: "throttling") == nil)
    }

    @Test("a known error code wins over the status, an unknown one does not")
    func codeOverStatus() {
        #expect(RetryClassification.httpResponse(status: 400, errorCode: "Throttling").errorClass == .throttling)
        #expect(RetryClassification.httpResponse(status: 400, errorCode: "RequestTimeout").errorClass == .transient)
        #expect(RetryClassification.httpResponse(status: 503, errorCode: "Unknown").errorClass == .throttling)
        #expect(RetryClassification.httpResponse(status: 403, errorCode: "AccessDenied").errorClass == .permanent)
    }

    @Test("the hint travels with an HTTP classification")
    func hintTravels() {
        let hint = ServerRetryHint(delay: .seconds(3))
        #expect(RetryClassification.httpResponse(status: 503, hint: hint).hint == hint)
    }

    @Test("a classifier closure goes first, then RetryClassifiable, and unknown errors are permanent")
    func classifierOrder() {
        struct Opaque: Error {}
        struct Reset: Error {}
        let classifier = RetryErrorClassifier { error in
            error is Reset ? .transient : nil
        }
        #expect(classifier.classify(Reset()) == .transient)
        #expect(classifier.classify(ScriptedFault.throttled) == .throttling)
        #expect(classifier.classify(Opaque()) == .permanent)
        #expect(RetryErrorClassifier.default.classify(ScriptedFault.timedOut) == .timeout)
    }

    @Test("a timeout is transient and marked as a timeout")
    func timeout() {
        #expect(RetryClassification.timeout.errorClass == .transient)
        #expect(RetryClassification.timeout.isTimeout)
        #expect(!RetryClassification.transient.isTimeout)
    }
}
