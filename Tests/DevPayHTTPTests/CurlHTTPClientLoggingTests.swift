import DevPayHTTP
import DevPayTestSupport
import DevPayLoggingTesting
import HTTPTypes
import Logging
import Testing

@Suite("CurlHTTPClient logs without secrets")
struct CurlHTTPClientLoggingTests {
    @Test("debug logs name method, host, path and status, but never the query string or header values")
    func logsWithoutSecrets() async throws {
        let logs = CapturedLogs()
        let logger = logs.logger(label: "test")
        try await withServer { server in
            let client = CurlHTTPClient(configuration: .init(
                trustRoots: .caFile(path: try TestPKI.shared().caFile), logger: logger
            ))
            var fields = HTTPFields()
            fields[.authorization] = "AWS AKIDSECRET:signature-secret"
            fields[HTTPField.Name("x-amz-security-token")!] = "{UserToken}token-secret"
            let request = server.request("/hello?Signature=query-secret&AWSAccessKeyId=AKIDSECRET", headers: fields)
            _ = try await client.send(request, body: nil, options: .init())
            _ = try? await client.send(server.request("/slow?delay=3&token=query-secret"), body: nil,
                                       options: .init(totalTimeout: .milliseconds(200)))
        }
        let lines = logs.lines
        #expect(lines.count == 2)
        #expect(lines.first?.contains("http.path=/hello") == true)
        #expect(lines.first?.contains("http.status=200") == true)
        #expect(lines.last?.contains("error=timed out") == true)
        for line in lines {
            #expect(!line.contains("secret"), "leaked: \(line)")
            #expect(!line.contains("AKIDSECRET"), "leaked: \(line)")
        }
    }
}
