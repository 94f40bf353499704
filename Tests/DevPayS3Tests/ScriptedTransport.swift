import DevPayHTTP
import HTTPTypes
import Synchronization

/// A transport that answers from a script and remembers what was sent: the S3 client's wire behaviour
/// pinned without a network.
final class ScriptedTransport: HTTPStreamingTransport {
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: [(HTTPField.Name, String)]
        var body: [UInt8]

        init(_ status: HTTPResponse.Status = .ok, headers: [(HTTPField.Name, String)] = [], body: String = "") {
            self.status = status
            self.headers = headers
            self.body = Array(body.utf8)
        }

        var response: HTTPResponse {
            var fields = HTTPFields()
            for (name, value) in headers { fields.append(HTTPField(name: name, value: value)) }
            return HTTPResponse(status: status, headerFields: fields)
        }
    }

    struct Sent: Sendable {
        var request: HTTPRequest
        var body: HTTPRequestBody
    }

    private let state: Mutex<(answers: [Answer], sent: [Sent])>

    init(_ answers: [Answer]) {
        state = Mutex((answers, []))
    }

    var sent: [Sent] { state.withLock { $0.sent } }

    private func next(for request: HTTPRequest, body: HTTPRequestBody) -> Answer {
        state.withLock { state in
            state.sent.append(Sent(request: request, body: body))
            return state.answers.isEmpty ? Answer(.internalServerError) : state.answers.removeFirst()
        }
    }

    func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse {
        try await send(request, body: body.map(HTTPRequestBody.bytes) ?? .empty, options: options, progress: nil)
    }

    func send(
        _ request: HTTPRequest, body: HTTPRequestBody, options: HTTPRequestOptions, progress: HTTPProgressHandler?
    ) async throws -> HTTPBufferedResponse {
        let answer = next(for: request, body: body)
        return HTTPBufferedResponse(head: answer.response, body: answer.body)
    }

    func execute<Result>(
        _ request: HTTPRequest,
        body: HTTPRequestBody,
        options: HTTPRequestOptions,
        progress: HTTPProgressHandler?,
        receive: (HTTPResponse, HTTPResponseBody) async throws -> Result
    ) async throws -> Result {
        let answer = next(for: request, body: body)
        let chunks = stride(from: 0, to: answer.body.count, by: 3).map {
            Array(answer.body[$0..<min($0 + 3, answer.body.count)])
        }
        return try await receive(answer.response, HTTPResponseBody(chunks: chunks))
    }
}
