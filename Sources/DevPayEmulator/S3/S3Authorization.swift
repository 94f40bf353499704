import Foundation

/// How an S3 request claims to be signed, parsed from its `Authorization` header or its query.
enum S3Authorization: Sendable {
    /// `Authorization: AWS AKID:signature` (SigV2), dated by `x-amz-date` or `Date`.
    case sigV2Header(accessKeyID: String, signature: String, date: Date)
    /// `?AWSAccessKeyId=…&Expires=…&Signature=…` (SigV2 query string).
    case sigV2Query(accessKeyID: String, signature: String, expires: String, expiresAt: Date)
    /// `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    case sigV4Header(SigV4Claim)
    /// `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…`.
    case sigV4Query(SigV4Claim, expiresAt: Date)

    /// The parts of a SigV4 signature the verifier needs.
    struct SigV4Claim: Sendable {
        var accessKeyID: String
        var scopeDate: String
        var region: String
        var service: String
        var signedHeaders: [String]
        var signature: String
        /// `YYYYMMDDTHHMMSSZ` as signed.
        var amzDate: String
        var date: Date
    }

    var accessKeyID: String {
        switch self {
        case .sigV2Header(let id, _, _), .sigV2Query(let id, _, _, _): id
        case .sigV4Header(let claim), .sigV4Query(let claim, _): claim.accessKeyID
        }
    }

    static func parse(_ request: S3SignedRequest) throws(S3Fault) -> S3Authorization {
        if let header = request.header("authorization") {
            if header.hasPrefix("AWS4-HMAC-SHA256 ") { return .sigV4Header(try sigV4Header(header, request)) }
            if header.hasPrefix("AWS ") { return try sigV2Header(header, request) }
            throw .invalidArgument("Unsupported Authorization Type")
        }
        let query = request.query
        if query.value("X-Amz-Algorithm") != nil { return try sigV4Query(query) }
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

    private static func sigV4Header(_ header: String, _ request: S3SignedRequest) throws(S3Fault) -> SigV4Claim {
        var fields: [String: String] = [:]
        for part in header.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            fields[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
        }
        guard let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"],
              let signature = fields["Signature"] else {
            throw .authorizationHeaderMalformed("The authorization header is malformed; Credential, SignedHeaders "
                + "and Signature are required.")
        }
        guard let amzDate = request.header("x-amz-date") else {
            throw .accessDenied("AWS authentication requires a valid Date or x-amz-date header")
        }
        return try claim(credential: credential, signedHeaders: signedHeaders, signature: signature, amzDate: amzDate)
    }

    private static func sigV4Query(_ query: QueryString) throws(S3Fault) -> S3Authorization {
        guard query.value("X-Amz-Algorithm") == "AWS4-HMAC-SHA256" else {
            throw .invalidArgument("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        guard let credential = query.value("X-Amz-Credential"), let signedHeaders = query.value("X-Amz-SignedHeaders"),
              let signature = query.value("X-Amz-Signature"), let amzDate = query.value("X-Amz-Date"),
              let expiresText = query.value("X-Amz-Expires") else {
            throw .authorizationHeaderMalformed("Query-string authentication requires X-Amz-Credential, "
                + "X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature.")
        }
        guard let expires = Int(expiresText), (1...604_800).contains(expires) else {
            throw .authorizationHeaderMalformed("X-Amz-Expires must be between 1 and 604800 seconds")
        }
        let claim = try claim(credential: credential, signedHeaders: signedHeaders, signature: signature, amzDate: amzDate)
        return .sigV4Query(claim, expiresAt: claim.date.addingTimeInterval(TimeInterval(expires)))
    }

    private static func claim(credential: String, signedHeaders: String, signature: String, amzDate: String)
        throws(S3Fault) -> SigV4Claim
    {
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request" else {
            throw .authorizationHeaderMalformed("The Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
        }
        guard scope[3] == "s3" else { throw .authorizationHeaderMalformed("The credential scope must name service s3.") }
        guard let date = parseAmzDate(amzDate) else {
            throw .accessDenied("X-Amz-Date must be in the ISO 8601 basic format YYYYMMDDTHHMMSSZ")
        }
        guard amzDate.hasPrefix(scope[1]) else {
            throw .authorizationHeaderMalformed("The credential scope date does not match X-Amz-Date.")
        }
        return SigV4Claim(accessKeyID: scope[0], scopeDate: scope[1], region: scope[2], service: scope[3],
                          signedHeaders: signedHeaders.split(separator: ";").map(String.init), signature: signature,
                          amzDate: amzDate, date: date)
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
