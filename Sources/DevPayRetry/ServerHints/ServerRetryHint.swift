/// How long the server asked us to wait before the next attempt.
///
/// Parsing takes header values as plain strings, so any HTTP stack (ours, a test, the emulator) can feed it.
/// The schedule never follows a hint blindly: it is clamped to `[computed delay, computed delay + 5 s]` and to
/// the caller's deadline (see ``RetrySchedule``).
public struct ServerRetryHint: Sendable, Hashable {
    /// The wait the server asked for, never negative.
    public var delay: Duration

    /// Creates a hint; a negative delay counts as zero.
    public init(delay: Duration) {
        self.delay = max(delay, .zero)
    }

    /// Reads the hint from a response's headers.
    ///
    /// `x-amz-retry-after` (milliseconds) wins when present and valid, as it is the more precise of the two;
    /// otherwise `Retry-After` in either form. Returns `nil` when neither header holds a usable value.
    /// - Parameters:
    ///   - retryAfter: the `Retry-After` header value, if any.
    ///   - responseDate: the response's `Date` header, needed for the HTTP-date form of `Retry-After`.
    ///   - amzRetryAfter: the `x-amz-retry-after` header value, if any.
    public static func parse(
        retryAfter: String?,
        responseDate: String?,
        amzRetryAfter: String?
    ) -> ServerRetryHint? {
        if let amzRetryAfter, let hint = parse(amzRetryAfterMilliseconds: amzRetryAfter) {
            return hint
        }
        if let retryAfter {
            return parse(retryAfter: retryAfter, responseDate: responseDate)
        }
        return nil
    }

    /// Reads a `Retry-After` value: delay-seconds (`120`) or an HTTP-date, which counts from the response's
    /// `Date` header.
    ///
    /// An HTTP-date without a parsable `Date` header gives `nil`: our own wall clock may be skewed from the
    /// server's, and the difference between two server times is what the server meant. A date before the
    /// response's date means "now" (zero).
    public static func parse(retryAfter: String, responseDate: String?) -> ServerRetryHint? {
        let value = trimmed(retryAfter)
        if let seconds = decimalDigits(value) {
            return ServerRetryHint(delay: .seconds(seconds))
        }
        guard let retryAt = HTTPDate.secondsSinceEpoch(value),
            let responseDate, let sentAt = HTTPDate.secondsSinceEpoch(trimmed(responseDate))
        else {
            return nil
        }
        return ServerRetryHint(delay: .seconds(retryAt - sentAt))
    }

    /// Reads an `x-amz-retry-after` value: a whole number of milliseconds.
    public static func parse(amzRetryAfterMilliseconds value: String) -> ServerRetryHint? {
        decimalDigits(trimmed(value)).map { ServerRetryHint(delay: .milliseconds($0)) }
    }

    private static func trimmed(_ value: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let start = value.firstIndex { !isSpace($0) } ?? value.endIndex
        let end = value.lastIndex { !isSpace($0) }.map(value.index(after:)) ?? start
        return value[start..<end]
    }

    /// `1*DIGIT` as RFC 9110 writes it: no sign, no fraction; `nil` on overflow.
    private static func decimalDigits(_ value: Substring) -> Int64? {
        guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int64(value)
    }
}
