import Foundation

/// An S3 error answer: `<Error><Code>…` with its HTTP status, as S3 documents them.
struct S3Fault: Error, Equatable, Sendable {
    var code: String
    var message: String
    var status: Int
    /// Extra elements S3 adds to help debugging (e.g. `StringToSign`, `CanonicalRequest`); never secrets.
    var details: [(String, String)] = []

    static func == (lhs: S3Fault, rhs: S3Fault) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.status == rhs.status
    }

    static func accessDenied(_ message: String = "Access Denied") -> Self {
        Self(code: "AccessDenied", message: message, status: 403)
    }
    static func invalidAccessKeyID() -> Self {
        Self(code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.",
             status: 403)
    }
    static func expiredToken() -> Self {
        Self(code: "ExpiredToken", message: "The provided token has expired.", status: 400)
    }
    static func tokenRefreshRequired() -> Self {
        Self(code: "TokenRefreshRequired", message: "The provided token must be refreshed.", status: 400)
    }
    static func invalidToken(_ message: String) -> Self { Self(code: "InvalidToken", message: message, status: 400) }
    static func missingSecurityHeader() -> Self {
        Self(code: "MissingSecurityHeader",
             message: "DevPay requests must carry x-amz-security-token with the user token and the product token.",
             status: 400)
    }
    static func signatureDoesNotMatch(details: [(String, String)]) -> Self {
        Self(code: "SignatureDoesNotMatch",
             message: "The request signature we calculated does not match the signature you provided. "
                + "Check your key and signing method.", status: 403, details: details)
    }
    /// Carries `RequestTime` and `ServerTime` (ISO 8601) as S3 does, so a client can correct its clock offset.
    static func requestTimeTooSkewed(requestTime: Date, serverTime: Date) -> Self {
        let format = ISO8601DateFormatter()
        return Self(code: "RequestTimeTooSkewed",
             message: "The difference between the request time and the current time is too large.", status: 403,
             details: [("RequestTime", format.string(from: requestTime)), ("ServerTime", format.string(from: serverTime)),
                       ("MaxAllowedSkewMilliseconds", "900000")])
    }
    static func invalidArgument(_ message: String) -> Self {
        Self(code: "InvalidArgument", message: message, status: 400)
    }
    static func invalidRequest(_ message: String) -> Self { Self(code: "InvalidRequest", message: message, status: 400) }
    static func authorizationHeaderMalformed(_ message: String) -> Self {
        Self(code: "AuthorizationHeaderMalformed", message: message, status: 400)
    }
    static func contentSHA256Mismatch() -> Self {
        Self(code: "XAmzContentSHA256Mismatch",
             message: "The provided 'x-amz-content-sha256' header does not match what was computed.", status: 400)
    }
    static func badDigest() -> Self {
        Self(code: "BadDigest", message: "The Content-MD5 you specified did not match what we received.", status: 400)
    }
    static func noSuchBucket() -> Self {
        Self(code: "NoSuchBucket", message: "The specified bucket does not exist.", status: 404)
    }
    static func noSuchUpload() -> Self {
        Self(code: "NoSuchUpload", message: "The specified multipart upload does not exist.", status: 404)
    }
    static func invalidPart() -> Self {
        Self(code: "InvalidPart", message: "One or more of the specified parts could not be found or did not match.", status: 400)
    }
    static func invalidPartOrder() -> Self {
        Self(code: "InvalidPartOrder", message: "The list of parts was not in ascending order.", status: 400)
    }
    static func entityTooSmall() -> Self {
        Self(code: "EntityTooSmall", message: "Your proposed upload is smaller than the minimum allowed object size.", status: 400)
    }
    static func malformedXML() -> Self {
        Self(code: "MalformedXML", message: "The XML you provided was not well-formed.", status: 400)
    }
    static func preconditionFailed() -> Self {
        Self(code: "PreconditionFailed", message: "At least one of the pre-conditions you specified did not hold", status: 412)
    }
    static func invalidRange() -> Self {
        Self(code: "InvalidRange", message: "The requested range is not satisfiable", status: 416)
    }
    static func noSuchKey() -> Self { Self(code: "NoSuchKey", message: "The specified key does not exist.", status: 404) }
    static func bucketAlreadyExists() -> Self {
        Self(code: "BucketAlreadyExists", message: "The requested bucket name is not available.", status: 409)
    }
    static func bucketAlreadyOwnedByYou() -> Self {
        Self(code: "BucketAlreadyOwnedByYou",
             message: "Your previous request to create the named bucket succeeded and you already own it.", status: 409)
    }
    static func bucketNotEmpty() -> Self {
        Self(code: "BucketNotEmpty", message: "The bucket you tried to delete is not empty.", status: 409)
    }
    static func invalidBucketName() -> Self {
        Self(code: "InvalidBucketName", message: "The specified bucket is not valid.", status: 400)
    }
    static func tooManyBuckets() -> Self {
        Self(code: "TooManyBuckets", message: "You have attempted to create more buckets than allowed.", status: 400)
    }
    static func notImplemented() -> Self {
        Self(code: "NotImplemented", message: "The emulator does not implement this S3 operation.", status: 501)
    }
    static func methodNotAllowed() -> Self {
        Self(code: "MethodNotAllowed", message: "The specified method is not allowed against this resource.",
             status: 405)
    }
    static func slowDown() -> Self { Self(code: "SlowDown", message: "Please reduce your request rate.", status: 503) }
    static func internalError() -> Self {
        Self(code: "InternalError", message: "We encountered an internal error. Please try again.", status: 500)
    }
}

/// S3's XML bodies.
enum S3XML {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    static func error(_ fault: S3Fault, requestID: String, resource: String? = nil) -> String {
        var lines = ["<Error>", "  <Code>\(fault.code)</Code>", "  <Message>\(HTTPAnswers.escaped(fault.message))</Message>"]
        lines += fault.details.map { "  <\($0.0)>\(HTTPAnswers.escaped($0.1))</\($0.0)>" }
        if let resource { lines.append("  <Resource>\(HTTPAnswers.escaped(resource))</Resource>") }
        lines += ["  <RequestId>\(requestID)</RequestId>", "</Error>"]
        return lines.joined(separator: "\n")
    }

    /// `<Name xmlns=…>` with one child per field: text escaped, or (for names in `raw`) inner XML as given.
    static func document(_ name: String, _ fields: [(String, String)], raw: Set<String> = []) -> String {
        var lines = ["<\(name) xmlns=\"\(namespace)\">"]
        for (field, value) in fields {
            lines.append("  <\(field)>\(raw.contains(field) ? value : HTTPAnswers.escaped(value))</\(field)>")
        }
        lines.append("</\(name)>")
        return lines.joined(separator: "\n")
    }
}
