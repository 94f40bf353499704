@testable import DevPayKit
import DevPayLicenseService
import Testing

@Suite("LicenseServiceAdapter: client errors as lifecycle actions")
struct LicenseServiceAdapterTests {
    @Test("the client's errors keep the action the DevPay guide gives them")
    func clientErrorsKeepTheirAction() {
        let throttled = LicenseServiceAdapter.failure(from: LicenseServiceError.throttled(httpStatus: 503, retryAfter: .seconds(4)))
        #expect(throttled.action == .retryLater(after: .seconds(4)))
        let badKey = LicenseServiceAdapter.failure(from: LicenseServiceInputError.emptyActivationKey)
        #expect(badKey.action == .getNewActivationKey)
        let badCustomerKey = LicenseServiceAdapter.failure(from: LicenseServiceInputError.invalidCustomerKey(name: "secretAccessKey"))
        #expect(badCustomerKey.action == .reactivate)
    }

    @Test("an issued set the lifecycle cannot hold is an unusable answer to retry, not a reason to reactivate")
    func unusableAnswerIsRetriedLater() {
        let failure = LicenseServiceAdapter.failure(from: DevPayLifecycleError.incompleteCredentials(missing: "secretAccessKey"))
        #expect(failure.action == .retryLater(after: nil))
        #expect(!failure.requiresReactivation)
        #expect(failure.message.contains("secretAccessKey"))
    }
}
