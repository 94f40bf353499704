@testable import DevPayCredentialStore
import Foundation
import Testing

@Suite("credential set")
struct CredentialSetTests {
    @Test("description shows the Access Key ID and hides the token and the secret")
    func descriptionRedacts() {
        let set = Fixtures.credentials("1")
        let texts = [set.description, "\(set)", String(reflecting: set), dumped(set), "\(set.userToken)"]
        for text in texts {
            #expect(!text.contains("UserToken}AAAA"))
            #expect(!text.contains("wJalrXUtnFEMI"))
        }
        #expect(set.description.contains("AKIADEVPAY1"))
    }

    @Test("a set with an empty part cannot be built", arguments: CredentialPart.allCases)
    func emptyPartRejected(part: CredentialPart) {
        #expect(throws: CredentialSetError.missingPart(part)) {
            try CredentialSet(
                userToken: part == .userToken ? "" : "{UserToken}x",
                accessKeyID: part == .accessKeyID ? "" : "AKIA",
                secretAccessKey: part == .secretAccessKey ? "" : "s",
                activatedAt: Date())
        }
    }

    @Test("secret text compares by content and reveals the original string")
    func secretText() {
        #expect(SecretText("abc") == SecretText("abc"))
        #expect(SecretText("abc") != SecretText("abd"))
        #expect(SecretText("abc") != SecretText("abcd"))
        #expect(SecretText("pässwört").revealed() == "pässwört")
    }

    @Test("product tokens are hashed into the folder name, never copied")
    func productTokenHashed() {
        let token = "{ProductToken}AAAAVGhpcyBpcyBub3QgYSByZWFsIHRva2Vu"
        let key = ProductKey.productToken(token)
        #expect(key.storageName.hasPrefix("t-"))
        #expect(key.storageName.count == 34)
        #expect(!key.storageName.contains("ProductToken"))
        #expect(key == ProductKey.productToken(token))
        #expect(key != ProductKey.productToken(token + "x"))
    }

    @Test("unsafe product identifiers and profile names are refused",
          arguments: ["", "..", ".hidden", "a/b", "a b", String(repeating: "x", count: 65), "ünï"])
    func unsafeNames(name: String) {
        #expect(throws: CredentialStoreError.invalidName(name)) { try ProductKey(identifier: name) }
        #expect(throws: CredentialStoreError.invalidName(name)) { try ProfileName(name) }
    }

    private func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}
