import DevPayKit
import Testing

@Suite("S3 errors mapped to lifecycle actions")
struct S3ErrorResponseTests {
    @Test("token and key errors reactivate", arguments: ["ExpiredToken", "InvalidToken", "InvalidAccessKeyId", "InvalidSecurity"])
    func reactivate(code: String) {
        #expect(S3ErrorResponse(code: code, status: 403) == .reactivate)
    }

    @Test("clock skew is corrected, never a reason to reactivate")
    func skew() {
        #expect(S3ErrorResponse(code: "RequestTimeTooSkewed", status: 403) == .correctClockSkewThenRetry)
    }

    @Test("access problems check the subscription", arguments: ["AccessDenied", "AllAccessDisabled", "AccountProblem", "NotSignedUp", "InvalidPayer"])
    func subscription(code: String) {
        #expect(S3ErrorResponse(code: code, status: 403) == .verifySubscription)
    }

    @Test("service faults back off, unknown client errors go to the caller")
    func faults() {
        #expect(S3ErrorResponse(code: "SlowDown", status: 503) == .retryWithBackoff)
        #expect(S3ErrorResponse(code: nil, status: 503) == .retryWithBackoff)
        #expect(S3ErrorResponse(code: "NoSuchKey", status: 404) == .reportToCaller)
        #expect(S3ErrorResponse(code: "TokenRefreshRequired", status: 400) == .refreshUserTokenThenRetry)
        #expect(S3ErrorResponse(code: "SignatureDoesNotMatch", status: 403) == .retryOnceThenReactivate)
    }
}
