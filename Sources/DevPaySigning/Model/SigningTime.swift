/// The instant a request is signed, in UTC, with the text forms the schemes need. Built from seconds since
/// 1970 (so callers take it from an injected clock) or parsed from `YYYY-MM-DDThh:mm:ssZ`.
public struct SigningTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSince1970: Int64
    let year: Int
    let month: Int
    let day: Int
    let hour: Int
    let minute: Int
    let second: Int
    /// 0 = Sunday.
    let weekday: Int

    /// The time `secondsSince1970` seconds after the Unix epoch (years 1970–9999).
    public init(secondsSince1970: Int64) throws(SigningError) {
        guard secondsSince1970 >= 0, secondsSince1970 < 253_402_300_800 else { throw .invalidTime }
        self.secondsSince1970 = secondsSince1970
        let days = secondsSince1970 / 86_400
        let secondsOfDay = Int(secondsSince1970 % 86_400)
        hour = secondsOfDay / 3600
        minute = secondsOfDay / 60 % 60
        second = secondsOfDay % 60
        weekday = Int((days + 4) % 7)
        // Days to civil date (proleptic Gregorian), era-based so it needs no tables.
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    /// Parses ISO 8601 `YYYY-MM-DDThh:mm:ssZ` (the form of the License Service `Timestamp`).
    public init(iso8601 text: String) throws(SigningError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes[19] == UInt8(ascii: "Z")
        else { throw .invalidTime }
        func number(_ range: Range<Int>) throws(SigningError) -> Int {
            var value = 0
            for index in range {
                let digit = bytes[index]
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { throw .invalidTime }
                value = value * 10 + Int(digit - UInt8(ascii: "0"))
            }
            return value
        }
        let year = try number(0..<4), month = try number(5..<7), day = try number(8..<10)
        let hour = try number(11..<13), minute = try number(14..<16), second = try number(17..<19)
        guard year >= 1970, (1...12).contains(month), hour < 24, minute < 60, second < 60,
            day >= 1, day <= Self.daysIn(month: month, year: year)
        else { throw .invalidTime }
        // Civil date to days, the inverse of the computation above.
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        try self.init(secondsSince1970: days * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `YYYYMMDDThhmmssZ`, the SigV4 `X-Amz-Date` form.
    public var amzDate: String { String(decoding: bytes { $0.appendAmzDate(self) }, as: UTF8.self) }
    /// `YYYY-MM-DDThh:mm:ssZ`.
    public var iso8601: String { String(decoding: bytes { $0.appendISO8601(self) }, as: UTF8.self) }
    /// `Thu, 01 Jan 1970 00:00:00 GMT` (RFC 7231 IMF-fixdate), the S3 SigV2 `Date` form.
    public var httpDate: String { String(decoding: bytes { $0.appendHTTPDate(self) }, as: UTF8.self) }
    public var description: String { iso8601 }

    /// The time `seconds` later.
    public func adding(seconds: Int64) throws(SigningError) -> SigningTime {
        try SigningTime(secondsSince1970: secondsSince1970 + seconds)
    }

    public static func < (lhs: SigningTime, rhs: SigningTime) -> Bool {
        lhs.secondsSince1970 < rhs.secondsSince1970
    }

    private func bytes(_ write: (inout [UInt8]) -> Void) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(32)
        write(&output)
        return output
    }
}

extension [UInt8] {
    mutating func appendDigits(_ value: Int, count: Int) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// `YYYYMMDD`.
    mutating func appendDateStamp(_ time: SigningTime) {
        appendDigits(time.year, count: 4)
        appendDigits(time.month, count: 2)
        appendDigits(time.day, count: 2)
    }

    mutating func appendAmzDate(_ time: SigningTime) {
        appendDateStamp(time)
        append(UInt8(ascii: "T"))
        appendDigits(time.hour, count: 2)
        appendDigits(time.minute, count: 2)
        appendDigits(time.second, count: 2)
        append(UInt8(ascii: "Z"))
    }

    mutating func appendISO8601(_ time: SigningTime) {
        appendDigits(time.year, count: 4)
        append(UInt8(ascii: "-"))
        appendDigits(time.month, count: 2)
        append(UInt8(ascii: "-"))
        appendDigits(time.day, count: 2)
        append(UInt8(ascii: "T"))
        appendDigits(time.hour, count: 2)
        append(UInt8(ascii: ":"))
        appendDigits(time.minute, count: 2)
        append(UInt8(ascii: ":"))
        appendDigits(time.second, count: 2)
        append(UInt8(ascii: "Z"))
    }

    mutating func appendHTTPDate(_ time: SigningTime) {
        append(contentsOf: HTTPDateNames.weekdays[time.weekday].utf8)
        append(contentsOf: ", ".utf8)
        appendDigits(time.day, count: 2)
        append(UInt8(ascii: " "))
        append(contentsOf: HTTPDateNames.months[time.month - 1].utf8)
        append(UInt8(ascii: " "))
        appendDigits(time.year, count: 4)
        append(UInt8(ascii: " "))
        appendDigits(time.hour, count: 2)
        append(UInt8(ascii: ":"))
        appendDigits(time.minute, count: 2)
        append(UInt8(ascii: ":"))
        appendDigits(time.second, count: 2)
        append(contentsOf: " GMT".utf8)
    }
}

/// English day and month abbreviations of IMF-fixdate, built once.
private enum HTTPDateNames {
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
