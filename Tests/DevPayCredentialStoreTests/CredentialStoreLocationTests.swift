import DevPayCredentialStore
import Testing

@Suite("credential store location")
struct CredentialStoreLocationTests {
    @Test("XDG_DATA_HOME wins over HOME")
    func xdgFirst() {
        let location = CredentialStoreLocation.standard(environment: ["XDG_DATA_HOME": "/x", "HOME": "/home/u"])
        #expect(location?.path == "/x/devpay")
    }

    @Test("HOME is used when XDG_DATA_HOME is unset or relative")
    func homeFallback() {
        #expect(CredentialStoreLocation.standard(environment: ["HOME": "/home/u"])?.path == "/home/u/.local/share/devpay")
        #expect(CredentialStoreLocation.standard(environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"])?.path == "/h/.local/share/devpay")
    }

    @Test("no absolute folder means no default")
    func noDefault() {
        #expect(CredentialStoreLocation.standard(environment: [:]) == nil)
    }
}
