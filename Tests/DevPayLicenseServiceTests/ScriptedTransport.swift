import DevPayHTTP
import DevPayTesting
import HTTPTypes
import Synchronization

/// A transport that answers from a script, in order, and records every request it was given.
final class ScriptedTransport: HTTPTransport {
    enum Step: Sendable {
        case answer(status: Int, headers: [String: String] = [:], body: String)
        case fail(HTTPClientError)
    }

    private struct State {
        var script: [Step]
        var requests: [HTTPRequest] = []
    }

    private let state: Mutex<State>

    init(_ script: [Step]) {
        state = Mutex(State(script: script))
    }

    /// Every request sent so far, in order.
    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    /// The query parameters of request `index`, percent-decoded.
    func parameters(ofRequest index: Int) -> [String: String] {
        let path = requests[index].path ?? ""
        let query = path.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            parameters[String(parts[0])] = parts.count > 1 ? String(parts[1]).removingPercentEncodingForTests : ""
        }
        return parameters
    }

    func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse {
        let step = state.withLock { state -> Step? in
            state.requests.append(request)
            return state.script.isEmpty ? nil : state.script.removeFirst()
        }
        switch step {
        case .answer(let status, let headers, let body):
            var fields = HTTPFields()
            for (name, value) in headers {
                fields[HTTPField.Name(name)!] = value
            }
            return HTTPBufferedResponse(head: HTTPResponse(status: .init(code: status), headerFields: fields), body: Array(body.utf8))
        case .fail(let error):
            throw error
        case nil:
            throw HTTPClientError.connect("script exhausted")
        }
    }
}

extension String {
    /// Percent-decoding without Foundation, enough for the RFC 3986 queries the client sends.
    var removingPercentEncodingForTests: String {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ManualClock {
    /// Waits until a task sleeps on this clock (a retry wait), polling for at most `limit` of real time, and
    /// says whether one did. Unlike `waitForSleepers`, a call that fails instead of waiting fails the test
    /// rather than hanging it.
    func sleeperArrives(within limit: Duration = .seconds(20)) async -> Bool {
        let start = ContinuousClock.now
        while sleeperCount == 0 {
            if ContinuousClock.now - start > limit { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }
}
