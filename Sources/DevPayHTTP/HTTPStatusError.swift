public import HTTPTypes

/// A complete HTTP answer whose status the caller treats as a failure (anything outside 200–299).
///
/// The transport never throws this by itself: any status is a response. Callers that want non-2xx to be an
/// error call ``HTTPBufferedResponse/requireSuccess()``. The error keeps the head and the body so the caller
/// can read the service's error document; its `description` shows the status only, never headers or body,
/// because either may carry a secret (a signed URL in a redirect, a token in an error document).
public struct HTTPStatusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The answer as received.
    public var response: HTTPBufferedResponse

    /// The status code, e.g. 503.
    public var status: HTTPResponse.Status { response.head.status }

    /// Wraps a response that the caller considers failed.
    public init(response: HTTPBufferedResponse) {
        self.response = response
    }

    public var description: String { "HTTP status \(response.head.status.code)" }
}

extension HTTPBufferedResponse {
    /// Returns `self` when the status is 2xx, or throws ``HTTPStatusError`` carrying the head and the body.
    @discardableResult
    public func requireSuccess() throws(HTTPStatusError) -> HTTPBufferedResponse {
        guard head.status.kind == .successful else { throw HTTPStatusError(response: self) }
        return self
    }
}
