import CFuzzerDriver
import DevPayLicenseService

// SwiftPM links an executable with `main` renamed to `LicenseServiceResponseFuzzer_main`, which would hide libFuzzer's own
// `main`; this one hands the input function to libFuzzer's driver, as libFuzzer's `main` would.
@_cdecl("LicenseServiceResponseFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, licenseServiceResponseFuzzer)
}

/// Feeds every input to the License Service response decoder as each action's answer, with a success status
/// and with 503, and checks what it returns: a crash, a leak, or a broken invariant is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
func licenseServiceResponseFuzzer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    let decoder = LicenseServiceResponseDecoder()
    for action in LicenseServiceAction.allCases {
        for status in [200, 503] {
            do {
                let answer = try decoder.decode(action, status: status, retryAfter: .seconds(1), body: body)
                check(answer, for: action)
            } catch {
                check(error)
            }
        }
    }
    return 0
}

/// A decoded answer always matches its action and holds validated values.
private func check(_ answer: LicenseServiceAnswer, for action: LicenseServiceAction) {
    switch (action, answer.result) {
    case (.activateDesktopProduct, .activated(let credentials)):
        precondition(credentials.userToken.value.hasPrefix(UserToken.prefix))
        precondition(!credentials.accessKeyID.isEmpty && !credentials.secretAccessKey.isEmpty)
        // The description must not depend on the secret. (Not "must not contain it": a secret such as
        // `secret` is a substring of the redacted text itself.)
        let twin = try? CustomerCredentials(
            userToken: credentials.userToken, accessKeyID: credentials.accessKeyID,
            secretAccessKey: credentials.secretAccessKey + "+other")
        precondition(twin?.description == credentials.description, "description depends on the secret")
    case (.verifyProductSubscriptionByTokens, .subscription):
        break
    case (.refreshUserToken, .refreshedUserToken(let token)):
        precondition(token.value.hasPrefix(UserToken.prefix))
    default:
        preconditionFailure("answer does not match its action")
    }
}

/// Every error has an action to take and a description; a service error keeps at least one fault.
private func check(_ error: LicenseServiceError) {
    _ = error.requiredAction
    _ = error.description
    if case .service(let response) = error {
        precondition(!response.faults.isEmpty)
    }
}
