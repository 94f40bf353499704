/// The three HTTP-date forms a recipient must accept (RFC 9110 §5.6.7), read without Foundation so hint
/// parsing stays locale-free and cheap.
///
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
/// - obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`
/// - obsolete asctime: `Sun Nov  6 08:49:37 1994`
enum HTTPDate {
    /// Seconds since 1970-01-01T00:00:00Z, or `nil` when `text` is no HTTP-date.
    static func secondsSinceEpoch(_ text: Substring) -> Int64? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "," })
        switch fields.count {
        case 6 where fields[5] == "GMT":
            return epochSeconds(day: fields[1], month: fields[2], year: fields[3], time: fields[4])
        case 4 where fields[3] == "GMT":
            let date = fields[1].split(separator: "-", omittingEmptySubsequences: false)
            guard date.count == 3, date[2].count == 2, let shortYear = Int64(date[2]) else { return nil }
            // A fixed pivot instead of RFC 9110's "more than 50 years ahead" rule keeps parsing pure; hints
            // compare two server dates, which share the pivot.
            let year = shortYear >= 70 ? 1900 + shortYear : 2000 + shortYear
            return epochSeconds(day: date[0], month: date[1], year: Substring(String(year)), time: fields[2])
        case 5:
            return epochSeconds(day: fields[2], month: fields[1], year: fields[4], time: fields[3])
        default:
            return nil
        }
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func epochSeconds(day: Substring, month: Substring, year: Substring, time: Substring) -> Int64? {
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard let monthIndex = months.firstIndex(where: { $0 == month }),
            day.count <= 2, let day = Int64(day), (1...31).contains(day),
            year.count == 4, let year = Int64(year),
            clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
            let hour = Int64(clock[0]), (0...23).contains(hour),
            let minute = Int64(clock[1]), (0...59).contains(minute),
            let second = Int64(clock[2]), (0...60).contains(second)
        else {
            return nil
        }
        let days = daysSinceEpoch(year: year, month: Int64(monthIndex) + 1, day: day)
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date: count in 400-year eras whose years start on
    /// 1 March, so the leap day falls at the end of a year and the month lengths follow a linear formula.
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let marchYear = month <= 2 ? year - 1 : year
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
