import DevPaySigning
import Testing

@Suite("SHA-256 through OpenSSL")
struct SHA256Tests {
    @Test("the empty string hashes to the FIPS 180-2 value")
    func emptyString() {
        #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("abc hashes to the FIPS 180-2 value")
    func abc() {
        #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the loaded libcrypto is OpenSSL 3")
    func openSSLThree() {
        #expect(CryptoLibraryInfo.version.hasPrefix("OpenSSL 3."))
    }
}
