import DevPayS3
import Testing

@Suite("S3 bucket names")
struct S3BucketNameTests {
    @Test("valid names are kept", arguments: ["abc", "lae-abcdefgh-mseed", "my.bucket.1", String(repeating: "a", count: 63)])
    func valid(name: String) throws {
        #expect(try S3BucketName(name).name == name)
    }

    @Test("invalid names say why")
    func invalid() {
        #expect(throws: S3BucketNameError.length("ab")) { try S3BucketName("ab") }
        #expect(throws: S3BucketNameError.characters("Upper")) { try S3BucketName("Upper") }
        #expect(throws: S3BucketNameError.edges("-abc")) { try S3BucketName("-abc") }
        #expect(throws: S3BucketNameError.characters("a..b")) { try S3BucketName("a..b") }
        #expect(throws: S3BucketNameError.ipAddress("192.168.5.4")) { try S3BucketName("192.168.5.4") }
    }

    @Test("dotted names are not virtual-host compatible")
    func virtualHost() throws {
        #expect(try S3BucketName("plain-name").isVirtualHostCompatible)
        #expect(try !S3BucketName("dotted.name").isVirtualHostCompatible)
    }
}
