import DevPayLicenseService
import DevPayKit
import DevPayStateMachine
import Foundation

/// Values the tests share: keys, credential sets, failures of each kind.
enum Fixtures {
    static let productToken = try! ProductToken("{ProductToken}TESTPRODUCT")
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)
    static let key = try! ActivationKey("ADMAY7DVLJTWHJ76MMBMQYT5LATA")
    static let otherKey = try! ActivationKey("BDMAY7DVLJTWHJ76MMBMQYT5LATB")

    static func credentials(_ number: Int, expiresAt: Date? = nil) -> LifecycleCredentials {
        try! LifecycleCredentials(
            userToken: "{UserToken}user\(number)", accessKeyID: "AKID\(number)", secretAccessKey: "secret\(number)",
            tokenExpiresAt: expiresAt)
    }

    static let throttled = LicenseServiceFailure(action: .retryLater(after: nil), code: "ServiceUnavailable", message: "503")
    static let badUserToken = LicenseServiceFailure(action: .reactivate, code: "InvalidUserToken", message: "bad token")
    static let expiredKey = LicenseServiceFailure(
        action: .getNewActivationKey, code: "ExpiredActivationKey", message: "expired key")
    static let wrongProduct = LicenseServiceFailure(
        action: .getNewActivationKey, code: "IncorrectActivationKey", message: "other product")
    static let badProductToken = LicenseServiceFailure(
        action: .fixProductToken, code: "InvalidProductToken", message: "bad product token")
}

extension TransitionTable where Machine == ActivationStateMachine {
    /// The accepted step, or `nil` if rejected.
    func accepted(_ state: ActivationState, _ event: ActivationEvent) -> Step<ActivationStateMachine>? {
        next(state, event).step
    }
}
