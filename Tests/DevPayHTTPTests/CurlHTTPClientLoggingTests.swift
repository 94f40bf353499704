import DevPayHTTP
import HTTPTypes
import Logging
import Synchronization
import Testing

@Suite("CurlHTTPClient logs without secrets")
struct CurlHTTPClientLoggingTests {
    @Test("debug logs name method, host, path and status, but never the query string or header values")
    func logsWithoutSecrets() async throws {
        let records = RecordedLogs()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(records: records) }
        try await withServer { server in
            let client = CurlHTTPClient(configuration: .init(
                trustRoots: .caFile(path: try TestCertificates.load().caFile), logger: logger
            ))
            var fields = HTTPFields()
            fields[.authorization] = "AWS AKIDSECRET:signature-secret"
            fields[HTTPField.Name("x-amz-security-token")!] = "{UserToken}token-secret"
            let request = server.request("/hello?Signature=query-secret&AWSAccessKeyId=AKIDSECRET", headers: fields)
            _ = try await client.send(request, body: nil, options: .init())
            _ = try? await client.send(server.request("/slow?delay=3&token=query-secret"), body: nil,
                                       options: .init(totalTimeout: .milliseconds(200)))
        }
        let lines = records.lines
        #expect(lines.count == 2)
        #expect(lines.first?.contains("http.path=/hello") == true)
        #expect(lines.first?.contains("http.status=200") == true)
        #expect(lines.last?.contains("error=timeout") == true)
        for line in lines {
            #expect(!line.contains("secret"), "leaked: \(line)")
            #expect(!line.contains("AKIDSECRET"), "leaked: \(line)")
        }
    }
}

/// Log lines, flattened to "message key=value …" (sorted keys).
private final class RecordedLogs: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    func append(_ line: String) { storage.withLock { $0.append(line) } }
}

private struct RecordingLogHandler: LogHandler {
    let records: RecordedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).merging(metadata) { new, _ in new }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        records.append(([event.message.description] + fields).joined(separator: " "))
    }
}
