import DevPayLicenseService
import PropertyBased
import Testing

@Suite("Input validation before any network call")
struct InputValidationTests {
    @Test("an activation key is trimmed and upper-cased")
    func activationKeyNormalised() throws {
        #expect(try ActivationKey("  admay7dvljtwhj76mmbmqyt5lata\n").value == "ADMAY7DVLJTWHJ76MMBMQYT5LATA")
    }

    @Test("activation key problems are named without echoing the key")
    func activationKeyProblems() {
        #expect(throws: LicenseServiceInputError.emptyActivationKey) { try ActivationKey(" \t\n") }
        #expect(throws: LicenseServiceInputError.activationKeyTooLong(length: 65)) { try ActivationKey(String(repeating: "A", count: 65)) }
        #expect(throws: LicenseServiceInputError.activationKeyInvalidCharacter(position: 4)) { try ActivationKey("ADMA-Y7DV") }
        #expect(throws: LicenseServiceInputError.activationKeyInvalidCharacter(position: 4)) { try ActivationKey("ADMA Y7DV") }
        #expect(throws: LicenseServiceInputError.activationKeyInvalidCharacter(position: 1)) { try ActivationKey("AÉ") }
        let error = LicenseServiceInputError.activationKeyInvalidCharacter(position: 4)
        #expect(!error.description.contains("ADMA"))
    }

    @Test("any key of 1 to 64 letters and digits passes, any other character is refused at its position")
    func activationKeyProperty() async {
        await propertyCheck(input: Gen.letterOrNumber.string(of: 1...64), Gen.int(in: 0...63), Gen.ascii) { key, index, replacement in
            #expect((try? ActivationKey(key))?.value == key.uppercased())
            guard !replacement.isLetter, !replacement.isNumber, !replacement.isWhitespace else { return }
            let position = index % key.count
            var characters = Array(key)
            characters[position] = replacement
            #expect(throws: LicenseServiceInputError.activationKeyInvalidCharacter(position: position)) {
                try ActivationKey(String(characters))
            }
        }
    }

    @Test("a product token needs its {ProductToken} prefix and something after it")
    func productToken() throws {
        #expect(try ProductToken(" {ProductToken}AAAA+/== \n").value == "{ProductToken}AAAA+/==")
        #expect(throws: LicenseServiceInputError.tokenMissingPrefix(expected: "{ProductToken}")) { try ProductToken("AAAA") }
        #expect(throws: LicenseServiceInputError.tokenMissingPrefix(expected: "{ProductToken}")) { try ProductToken("{UserToken}AAAA") }
        #expect(throws: LicenseServiceInputError.tokenEmpty(prefix: "{ProductToken}")) { try ProductToken("{ProductToken}") }
        #expect(throws: LicenseServiceInputError.tokenInvalidCharacter(prefix: "{ProductToken}", position: 16)) {
            try ProductToken("{ProductToken}AA\nBB")
        }
        #expect(throws: LicenseServiceInputError.tokenTooLong(prefix: "{ProductToken}", length: 4097, limit: 4096)) {
            try ProductToken("{ProductToken}" + String(repeating: "A", count: 4097 - 14))
        }
    }

    @Test("a user token needs its {UserToken} prefix")
    func userToken() throws {
        #expect(try UserToken("{UserToken}AAAH==").value == "{UserToken}AAAH==")
        #expect(throws: LicenseServiceInputError.tokenMissingPrefix(expected: "{UserToken}")) { try UserToken("{ProductToken}AAAH") }
        #expect(throws: LicenseServiceInputError.tokenEmpty(prefix: "{UserToken}")) { try UserToken("  {UserToken} ") }
    }

    @Test("credentials describe, print and dump without the secret or the token")
    func credentialsRedacted() throws {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        let tokenBody = "AAAHVXNlclRrbgfOpSykBAXO7g"
        let credentials = try CustomerCredentials(
            userToken: UserToken("{UserToken}" + tokenBody),
            accessKeyID: "AKIAIOSFODNN7EXAMPLE",
            secretAccessKey: secret
        )
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, "\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains(secret))
            #expect(!text.contains(tokenBody))
        }
        #expect(credentials.description.contains("AKIAIOSFODNN7EXAMPLE"))
        var dumpedKey = ""
        dump(try ActivationKey("ADMAY7DVLJTWHJ76MMBMQYT5LATA"), to: &dumpedKey)
        #expect(!dumpedKey.contains("ADMAY7"))
    }

    @Test("credentials with an empty or spaced key are refused")
    func credentialsChecked() throws {
        let token = try UserToken("{UserToken}A")
        #expect(throws: LicenseServiceInputError.invalidCustomerKey(name: "Access Key ID")) {
            try CustomerCredentials(userToken: token, accessKeyID: "", secretAccessKey: "s")
        }
        #expect(throws: LicenseServiceInputError.invalidCustomerKey(name: "Secret Access Key")) {
            try CustomerCredentials(userToken: token, accessKeyID: "A", secretAccessKey: "s s")
        }
    }

    @Test("input errors carry the action to take")
    func inputErrorActions() {
        #expect(LicenseServiceError.invalidInput(.emptyActivationKey).requiredAction == .getNewActivationKey(activateURL: "http://www.amazon.com/dp-activate"))
        #expect(LicenseServiceError.invalidInput(.tokenMissingPrefix(expected: "{ProductToken}")).requiredAction
            == .fixProductToken(developerPageURL: "http://aws.amazon.com/devpayactivity"))
        #expect(LicenseServiceError.invalidInput(.tokenEmpty(prefix: "{UserToken}")).requiredAction
            == .reactivate(activateURL: "http://www.amazon.com/dp-activate"))
        #expect(LicenseServiceError.invalidInput(.invalidTokenExpiration).requiredAction == .reportBug)
    }
}
