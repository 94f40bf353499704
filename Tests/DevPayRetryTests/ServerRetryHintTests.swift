import DevPayRetry
import Foundation
import PropertyBased
import Testing

@Suite("server retry hints")
struct ServerRetryHintTests {
    @Test("Retry-After in seconds")
    func seconds() {
        #expect(ServerRetryHint.parse(retryAfter: "120", responseDate: nil)?.delay == .seconds(120))
        #expect(ServerRetryHint.parse(retryAfter: " 7 ", responseDate: nil)?.delay == .seconds(7))
        #expect(ServerRetryHint.parse(retryAfter: "0", responseDate: nil)?.delay == .zero)
    }

    @Test("malformed Retry-After values give no hint")
    func malformed() {
        for value in ["", "-5", "+5", "1.5", "soon", "99999999999999999999999", "Sun, 06 Nov 1994 08:49:37 UTC"] {
            #expect(ServerRetryHint.parse(retryAfter: value, responseDate: "Sun, 06 Nov 1994 08:49:00 GMT") == nil, "\(value)")
        }
    }

    @Test("an IMF-fixdate Retry-After counts from the response's Date")
    func imfFixdate() {
        let hint = ServerRetryHint.parse(
            retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", responseDate: "Sun, 06 Nov 1994 08:48:57 GMT")
        #expect(hint?.delay == .seconds(40))
    }

    @Test("the obsolete RFC 850 and asctime date forms are read too")
    func obsoleteForms() {
        let date = "Sun, 06 Nov 1994 08:49:00 GMT"
        #expect(ServerRetryHint.parse(retryAfter: "Sunday, 06-Nov-94 08:49:37 GMT", responseDate: date)?.delay == .seconds(37))
        #expect(ServerRetryHint.parse(retryAfter: "Sun Nov  6 08:49:37 1994", responseDate: date)?.delay == .seconds(37))
    }

    @Test("a date across a month, year and leap day boundary")
    func boundaries() {
        let hint = ServerRetryHint.parse(
            retryAfter: "Fri, 01 Mar 2024 00:00:10 GMT", responseDate: "Thu, 29 Feb 2024 23:59:50 GMT")
        #expect(hint?.delay == .seconds(20))
        let newYear = ServerRetryHint.parse(
            retryAfter: "Thu, 01 Jan 2026 00:00:01 GMT", responseDate: "Wed, 31 Dec 2025 23:59:59 GMT")
        #expect(newYear?.delay == .seconds(2))
    }

    @Test("a date form without a Date header gives no hint; a date in the past means now")
    func dateEdgeCases() {
        #expect(ServerRetryHint.parse(retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", responseDate: nil) == nil)
        let past = ServerRetryHint.parse(
            retryAfter: "Sun, 06 Nov 1994 08:49:37 GMT", responseDate: "Sun, 06 Nov 1994 09:00:00 GMT")
        #expect(past?.delay == .zero)
    }

    @Test("x-amz-retry-after is milliseconds and wins over Retry-After")
    func amzRetryAfter() {
        #expect(ServerRetryHint.parse(amzRetryAfterMilliseconds: "1500")?.delay == .milliseconds(1500))
        let both = ServerRetryHint.parse(retryAfter: "10", responseDate: nil, amzRetryAfter: "250")
        #expect(both?.delay == .milliseconds(250))
        let badAmz = ServerRetryHint.parse(retryAfter: "10", responseDate: nil, amzRetryAfter: "x")
        #expect(badAmz?.delay == .seconds(10))
        #expect(ServerRetryHint.parse(retryAfter: nil, responseDate: nil, amzRetryAfter: nil) == nil)
    }

    @Test("any two IMF-fixdates written by Foundation give their difference in seconds")
    func imfFixdateAgainstFoundation() async {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let format = { (seconds: Int) in formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) }
        // 1900-01-01 to 2200-01-01: all the years a server may write.
        let epochs = Gen.int(in: -2_208_988_800...7_258_118_400)
        await propertyCheck(input: epochs, Gen.int(in: 0...400_000_000)) { sent, delay in
            let hint = ServerRetryHint.parse(retryAfter: format(sent + delay), responseDate: format(sent))
            #expect(hint?.delay == .seconds(delay))
        }
    }
}
