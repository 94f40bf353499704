import DevPaySigning
import Testing

@Suite("Encoding, time and credential primitives")
struct PrimitivesTests {
    @Test("RFC 3986 encoding leaves only the unreserved set bare")
    func percentEncoding() {
        #expect(PercentEncoding.encode("-._~AZaz09") == "-._~AZaz09")
        #expect(PercentEncoding.encode("{UserToken}a+b/c=") == "%7BUserToken%7Da%2Bb%2Fc%3D")
        #expect(PercentEncoding.encode("a b*ሴ") == "a%20b%2A%E1%88%B4")
    }

    @Test("query strings keep order and encode names and values")
    func queryString() {
        let query = QueryParameter.queryString([QueryParameter("b", "1 2"), QueryParameter("a", "")])
        #expect(query == "b=1%202&a=")
    }

    @Test("times format as X-Amz-Date, ISO 8601 and IMF-fixdate")
    func timeFormats() throws {
        let epoch = try SigningTime(secondsSince1970: 0)
        #expect(epoch.httpDate == "Thu, 01 Jan 1970 00:00:00 GMT")
        let time = try SigningTime(iso8601: "2015-08-30T12:36:00Z")
        #expect(time.amzDate == "20150830T123600Z")
        #expect(time.iso8601 == "2015-08-30T12:36:00Z")
        #expect(time.httpDate == "Sun, 30 Aug 2015 12:36:00 GMT")
        #expect(time.secondsSince1970 == 1_440_938_160)
        let leap = try SigningTime(iso8601: "2024-02-29T23:59:59Z")
        #expect(try leap.adding(seconds: 1).iso8601 == "2024-03-01T00:00:00Z")
    }

    @Test("bad times are a typed error", arguments: [
        "2015-08-30 12:36:00Z", "2015-02-30T00:00:00Z", "1969-12-31T23:59:59Z", "2015-08-30T24:00:00Z", "",
    ])
    func badTimes(_ text: String) {
        #expect(throws: SigningError.invalidTime) { try SigningTime(iso8601: text) }
    }

    @Test("credentials never show their secret or token")
    func redaction() {
        let credentials = SigningCredentials.devPay(
            accessKeyID: "AKIDVISIBLE", secretAccessKey: "SECRETSECRET", userToken: "{UserToken}TOKENU",
            productToken: "{ProductToken}TOKENP")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, credentials.debugDescription, String(reflecting: credentials), dumped,
                     "\(credentials)"] {
            #expect(text.contains("AKIDVISIBLE"))
            #expect(!text.contains("SECRET"))
            #expect(!text.contains("TOKEN"))
        }
    }

    @Test("the DevPay token pair is one value, user token first")
    func devPayTokenValue() {
        #expect(SecurityToken.devPay(userToken: "{UserToken}u", productToken: "{ProductToken}p").value
            == "{UserToken}u,{ProductToken}p")
    }
}
