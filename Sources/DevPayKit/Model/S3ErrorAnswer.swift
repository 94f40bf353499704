import Foundation

/// An error answer from S3 to a signed request, as the S3 client reports it to the lifecycle's gate.
public struct S3ErrorAnswer: Error, Sendable, Hashable, CustomStringConvertible {
    /// The S3 error code (for example `ExpiredToken`), if the body had one.
    public var code: String?
    /// The HTTP status.
    public var status: Int
    /// The server's time, when the answer told it (`RequestTimeTooSkewed` carries `ServerTime`, other
    /// answers a `Date` header); used to correct the clock offset.
    public var serverTime: Date?

    /// Creates an answer.
    public init(code: String?, status: Int, serverTime: Date? = nil) {
        self.code = code
        self.status = status
        self.serverTime = serverTime
    }

    /// What the lifecycle does about it (docs/protocol.md §5).
    public var response: S3ErrorResponse { S3ErrorResponse(code: code, status: status) }

    public var description: String { "S3 error \(code ?? "(no code)") (HTTP \(status))" }
}
