import DevPayHTTP
import DevPayStateMachineTesting
import DevPayHTTPTesting
import HTTPTypes

/// The License Service tests' spelling of the testing kit's scripted answers, and what they read back.
extension ScriptedHTTPTransport.Answer {
    static func answer(status: Int, headers: [String: String] = [:], body: String) -> Self {
        Self(HTTPResponse.Status(code: status), headers: headers.map { (HTTPField.Name($0.key)!, $0.value) }, body: body)
    }

    static func fail(_ error: HTTPClientError) -> Self { .failure(error) }
}

extension ScriptedHTTPTransport {
    /// Every request sent so far, in order.
    var requests: [HTTPRequest] { sent.map(\.request) }

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
