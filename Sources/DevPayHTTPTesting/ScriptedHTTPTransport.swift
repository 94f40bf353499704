public import DevPayHTTP
public import HTTPTypes
import NIOConcurrencyHelpers

/// An HTTP transport that answers from a script and remembers every request: clients built on DevPayHTTP
/// (S3, the License Service, your own) tested on the wire without a network.
///
/// Answers are used in order; an answer made with ``Answer/failure(_:)`` throws instead (a timeout, a reset);
/// once the script is used up, every request gets `500 Internal Server Error`.
/// Streamed bodies are delivered in 3-byte chunks, so code that assumes one chunk per body is caught.
public final class ScriptedHTTPTransport: HTTPStreamingTransport {
    /// One scripted answer.
    public struct Answer: Sendable {
        /// The status.
        public var status: HTTPResponse.Status
        /// Header fields, in order.
        public var headers: [(HTTPField.Name, String)]
        /// The body.
        public var body: [UInt8]
        /// When set, the request fails with this error instead of getting an answer.
        public var error: (any Error)?

        /// An answer with a text body.
        public init(_ status: HTTPResponse.Status = .ok, headers: [(HTTPField.Name, String)] = [], body: String = "") {
            self.status = status
            self.headers = headers
            self.body = Array(body.utf8)
        }

        /// No answer: the request fails with `error` (for example `HTTPClientError.timeout`).
        public static func failure(_ error: any Error) -> Answer {
            var answer = Answer(.internalServerError)
            answer.error = error
            return answer
        }

        var response: HTTPResponse {
            var fields = HTTPFields()
            for (name, value) in headers { fields.append(HTTPField(name: name, value: value)) }
            return HTTPResponse(status: status, headerFields: fields)
        }
    }

    /// A request as the transport received it.
    public struct Sent: Sendable {
        /// The request head.
        public var request: HTTPRequest
        /// Its body.
        public var body: HTTPRequestBody
        /// The body's bytes when it was sent from memory (API calls such as a SOAP envelope), else `nil`.
        public var bodyBytes: [UInt8]?
    }

    private let state: NIOLockedValueBox<(answers: [Answer], sent: [Sent])>

    /// A transport that gives `answers` in order.
    public init(_ answers: [Answer]) {
        state = NIOLockedValueBox((answers, []))
    }

    /// Every request received so far, in order.
    public var sent: [Sent] { state.withLockedValue { $0.sent } }

    private func next(for request: HTTPRequest, body: HTTPRequestBody, bytes: [UInt8]? = nil) throws -> Answer {
        let answer = state.withLockedValue { state in
            state.sent.append(Sent(request: request, body: body, bodyBytes: bytes))
            return state.answers.isEmpty ? Answer(.internalServerError) : state.answers.removeFirst()
        }
        if let error = answer.error { throw error }
        return answer
    }

    public func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse {
        let answer = try next(for: request, body: body.map(HTTPRequestBody.bytes) ?? .empty, bytes: body)
        return HTTPBufferedResponse(head: answer.response, body: answer.body)
    }

    public func send(
        _ request: HTTPRequest, body: HTTPRequestBody, options: HTTPRequestOptions, progress: HTTPProgressHandler?
    ) async throws -> HTTPBufferedResponse {
        let answer = try next(for: request, body: body)
        return HTTPBufferedResponse(head: answer.response, body: answer.body)
    }

    public func execute<Result>(
        _ request: HTTPRequest,
        body: HTTPRequestBody,
        options: HTTPRequestOptions,
        progress: HTTPProgressHandler?,
        receive: (HTTPResponse, HTTPResponseBody) async throws -> Result
    ) async throws -> Result {
        let answer = try next(for: request, body: body)
        let chunks = stride(from: 0, to: answer.body.count, by: 3).map {
            Array(answer.body[$0..<min($0 + 3, answer.body.count)])
        }
        return try await receive(answer.response, HTTPResponseBody(chunks: chunks))
    }
}
