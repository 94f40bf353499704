import DevPaySigning
import Foundation

/// How an S3 request claims to be signed, parsed from its `Authorization` header or its query.
enum S3Authorization: Sendable {
    /// `Authorization: AWS AKID:signature` (SigV2), dated by `x-amz-date` or `Date`.
    case sigV2Header(accessKeyID: String, signature: String, date: Date)
    /// `?AWSAccessKeyId=…&Expires=…&Signature=…` (SigV2 query string).
    case sigV2Query(accessKeyID: String, signature: String, expires: String, expiresAt: Date)
    /// `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`, dated by `x-amz-date`.
    case sigV4Header(SigV4Authorization, amzDate: String, date: Date)
    /// `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…`.
    case sigV4Query(SigV4Authorization, amzDate: String, date: Date, expiresAt: Date)

    var accessKeyID: String {
        switch self {
        case .sigV2Header(let id, _, _), .sigV2Query(let id, _, _, _): id
        case .sigV4Header(let claim, _, _), .sigV4Query(let claim, _, _, _): claim.accessKeyID
        }
    }

    static func parse(_ request: S3SignedRequest) throws(S3Fault) -> S3Authorization {
        if let header = request.header("authorization") {
            if header.hasPrefix("AWS4-HMAC-SHA256 ") { return try sigV4Header(header, request) }
            if header.hasPrefix("AWS ") { return try sigV2Header(header, request) }
            throw .invalidArgument("Unsupported Authorization Type")
        }
        let query = request.query
        if query.value("X-Amz-Algorithm") != nil { return try sigV4Query(request.rawQuery) }
        if let id = query.value("AWSAccessKeyId"), let signature = query.value("Signature"),
           let expires = query.value("Expires") {
            guard let seconds = TimeInterval(expires) else { throw .invalidArgument("Expires must be a number of seconds") }
            return .sigV2Query(accessKeyID: id, signature: signature, expires: expires,
                               expiresAt: Date(timeIntervalSince1970: seconds))
        }
        throw .accessDenied("Anonymous requests are not accepted: DevPay requests must be signed.")
    }

    private static func sigV2Header(_ header: String, _ request: S3SignedRequest) throws(S3Fault) -> S3Authorization {
        let credentials = header.dropFirst("AWS ".count)
        guard let colon = credentials.lastIndex(of: ":") else {
            throw .invalidArgument("Authorization header is invalid -- one and only one ' ' (space) required")
        }
        let dateText = request.header("x-amz-date") ?? request.header("date")
        guard let dateText, let date = HTTPAnswers.parseRFC1123(dateText) ?? parseAmzDate(dateText) else {
            throw .accessDenied("AWS authentication requires a valid Date or x-amz-date header")
        }
        return .sigV2Header(accessKeyID: String(credentials[..<colon]),
                            signature: String(credentials[credentials.index(after: colon)...]), date: date)
    }

    private static func sigV4Header(_ header: String, _ request: S3SignedRequest) throws(S3Fault) -> S3Authorization {
        let claim: SigV4Authorization
        do {
            claim = try SigV4Authorization(headerValue: header)
        } catch {
            throw .authorizationHeaderMalformed("The authorization header is malformed: \(error)")
        }
        guard let amzDate = request.header("x-amz-date"), let date = parseAmzDate(amzDate) else {
            throw .accessDenied("AWS authentication requires a valid Date or x-amz-date header")
        }
        try checkScope(claim, amzDate: amzDate)
        return .sigV4Header(claim, amzDate: amzDate, date: date)
    }

    private static func sigV4Query(_ rawQuery: String) throws(S3Fault) -> S3Authorization {
        let claim: SigV4Authorization
        do {
            claim = try SigV4Authorization(presignedQuery: rawQuery)
        } catch {
            throw .authorizationHeaderMalformed("Query-string authentication is malformed: \(error)")
        }
        guard let amzDate = claim.amzDate, let date = parseAmzDate(amzDate) else {
            throw .accessDenied("X-Amz-Date must be in the ISO 8601 basic format YYYYMMDDTHHMMSSZ")
        }
        guard let expires = claim.expires, (1...604_800).contains(expires) else {
            throw .authorizationHeaderMalformed("X-Amz-Expires must be between 1 and 604800 seconds")
        }
        try checkScope(claim, amzDate: amzDate)
        return .sigV4Query(claim, amzDate: amzDate, date: date, expiresAt: date.addingTimeInterval(TimeInterval(expires)))
    }

    private static func checkScope(_ claim: SigV4Authorization, amzDate: String) throws(S3Fault) {
        guard claim.service == "s3" else {
            throw .authorizationHeaderMalformed("The credential scope must name the service s3, not \(claim.service).")
        }
        guard amzDate.hasPrefix(claim.dateStamp) else {
            throw .authorizationHeaderMalformed("The credential scope date does not match X-Amz-Date.")
        }
    }

    /// `YYYYMMDDTHHMMSSZ`.
    static func parseAmzDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.date(from: text)
    }
}
