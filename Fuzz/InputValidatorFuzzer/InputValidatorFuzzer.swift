import CFuzzerDriver
import DevPayLicenseService
import DevPaySigning

// SwiftPM renames an executable's `main` to `<Target>_main`; this one hands the input function to libFuzzer.
@_cdecl("InputValidatorFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, inputValidatorFuzzer)
}

/// Feeds the input, whole and line by line, to every validator that stands between a user's typing and the
/// wire: activation key, product token, user token, customer keys, License Service endpoint.
///
/// Invariants: nothing traps; an accepted value has the documented shape; a refusal is a typed error whose
/// description and `dump` never echo the secret that was refused; an accepted set builds all three requests
/// over HTTPS.
@_cdecl("LLVMFuzzerTestOneInput")
func inputValidatorFuzzer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for candidate in [text] + lines {
        checkActivationKey(candidate)
        checkToken(candidate)
        checkEndpoint(candidate)
    }
    checkRequests(lines)
    return 0
}

/// A refusal may say what is wrong, never what was typed. Only inputs that look like secrets (16+ characters,
/// 3+ digits) are checked, so a typed phrase that happens to be part of an error's wording is no finding.
private func checkRefusal(_ error: LicenseServiceInputError, input: String) {
    let secret = input.trimmingWhitespaceForFuzzing()
    guard secret.count >= 16, secret.unicodeScalars.filter({ ("0"..."9").contains($0) }).count >= 3 else { return }
    precondition(!error.description.contains(secret), "an input error echoes the refused secret")
    precondition(!String(reflecting: error).contains(secret), "an input error's reflection echoes the secret")
}

private func checkActivationKey(_ text: String) {
    do throws(LicenseServiceInputError) {
        let key = try ActivationKey(text)
        let scalars = key.value.unicodeScalars
        precondition((1...ActivationKey.maximumLength).contains(scalars.count))
        precondition(scalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        precondition(!key.description.contains(key.value) || key.value.count < 4, "description shows the key")
    } catch {
        checkRefusal(error, input: text)
    }
}

private func checkToken(_ text: String) {
    for prefixed in [text, ProductToken.prefix + text, UserToken.prefix + text] {
        do throws(LicenseServiceInputError) {
            let token = try ProductToken(prefixed)
            precondition(token.value.hasPrefix(ProductToken.prefix))
            precondition(token.value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F })
        } catch {
            checkRefusal(error, input: prefixed)
        }
        do throws(LicenseServiceInputError) {
            let token = try UserToken(prefixed)
            precondition(token.value.hasPrefix(UserToken.prefix))
            precondition(token.value.count <= UserToken.maximumLength)
            let body = token.value.dropFirst(UserToken.prefix.count)
            precondition(body.count < 12 || !token.description.contains(body), "description shows the token")
        } catch {
            checkRefusal(error, input: prefixed)
        }
    }
}

private func checkEndpoint(_ text: String) {
    if let endpoint = try? LicenseServiceEndpoint(text) {
        precondition(endpoint.url.lowercased().hasPrefix("https://"), "a non-HTTPS endpoint was accepted")
    }
}

/// Lines 1–4 as activation key, product token, access key ID and secret: whatever passes validation must
/// build every request, over HTTPS, without a raw space or line break in the target.
private func checkRequests(_ lines: [String]) {
    func line(_ index: Int) -> String { index < lines.count ? lines[index] : "" }
    guard let key = try? ActivationKey(line(0)),
          let productToken = try? ProductToken(ProductToken.prefix + line(1)),
          let userToken = try? UserToken(UserToken.prefix + line(1)),
          let credentials = try? CustomerCredentials(
              userToken: userToken, accessKeyID: line(2), secretAccessKey: line(3))
    else { return }
    // The Access Key ID is shown on purpose; a secret that is part of it proves nothing.
    let secret = credentials.secretAccessKey
    precondition(secret.count < 8 || credentials.accessKeyID.contains(secret)
                 || !credentials.description.contains(secret), "description shows the secret")
    let builder = LicenseServiceRequestBuilder(endpoint: .amazon)
    let time = try! SigningTime(secondsSince1970: 1_700_000_000)
    do throws(LicenseServiceError) {
        let requests = [
            try builder.activateDesktopProduct(activationKey: key, productToken: productToken, tokenExpiration: .seconds(60)),
            try builder.verifyProductSubscriptionByTokens(credentials: credentials, productToken: productToken, at: time),
            try builder.refreshUserToken(credentials: credentials, productToken: productToken, at: time),
        ]
        for request in requests {
            precondition(request.scheme == "https")
            let path = request.path ?? ""
            precondition(!path.contains(" ") && !path.contains("\n") && !path.contains("\r"), "raw byte in the target")
        }
    } catch {
        preconditionFailure("validated inputs failed to build a request: \(error)")
    }
}

extension String {
    fileprivate func trimmingWhitespaceForFuzzing() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
