import DevPaySigning
import Foundation
import Testing

/// Locates the shared AWS signing vectors: `$DEVPAY_VECTORS`, else `../shared/vectors` beside the package
/// root. They are never copied into the repository.
enum VectorSuites {
    static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["DEVPAY_VECTORS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }()

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static let v4Folder = root.appendingPathComponent("aws-signing-test-suite/v4")
    static let suite2015Folder = root.appendingPathComponent("aws4-testsuite-2015")

    /// Case folder names of the v4 suite (empty when absent).
    static let v4Cases: [String] = caseFolders(in: v4Folder) { folder in
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("context.json").path)
    }

    /// Case folders of the 2015 suite, relative to it (`get-vanilla`, `normalize-path/get-space`, …).
    static let cases2015: [String] = {
        var cases: [String] = []
        func walk(_ relative: String) {
            let folder = relative.isEmpty ? suite2015Folder : suite2015Folder.appendingPathComponent(relative)
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for entry in entries.sorted() {
                let child = relative.isEmpty ? entry : relative + "/" + entry
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: suite2015Folder.appendingPathComponent(child).path,
                                                     isDirectory: &isDirectory), isDirectory.boolValue else { continue }
                if FileManager.default.fileExists(
                    atPath: suite2015Folder.appendingPathComponent(child).appendingPathComponent(entry + ".req").path)
                {
                    cases.append(child)
                } else {
                    walk(child)
                }
            }
        }
        walk("")
        return cases
    }()

    private static func caseFolders(in folder: URL, where isCase: (URL) -> Bool) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.sorted().filter { isCase(folder.appendingPathComponent($0)) }
    }

    /// Records a failure that names what is missing when the suites are absent in CI; outside CI the
    /// tests that need them are disabled with the same message.
    static let absenceMessage: Comment =
        "AWS signing vectors not found at \(root.path): set DEVPAY_VECTORS or check out ../shared/vectors"

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }
}

/// An HTTP/1.1 request as the vector files write it: request line, `Name:value` lines (a line starting
/// with whitespace continues the previous value), a blank line, the body.
struct RawVectorRequest {
    var method: String
    var path: String
    var query: String
    var headers: [HTTPHeader]
    var body: [UInt8]

    init(_ text: String) throws {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        guard let space = requestLine.firstIndex(of: " "), requestLine.hasSuffix(" HTTP/1.1") else {
            throw VectorError.unreadable(requestLine)
        }
        method = String(requestLine[..<space])
        let target = String(requestLine[requestLine.index(after: space)..<requestLine.index(requestLine.endIndex, offsetBy: -9)])
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            query = String(target[target.index(after: question)...])
        } else {
            path = target
            query = ""
        }
        headers = []
        var bodyLines: [String]? = nil
        for line in lines {
            if bodyLines != nil {
                bodyLines!.append(line)
            } else if line.isEmpty {
                bodyLines = []
            } else if line.first == " " || line.first == "\t" {
                headers[headers.count - 1].value += "\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(HTTPHeader(String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        body = Array((bodyLines ?? []).joined(separator: "\n").utf8)
    }

    var host: String { headers.first { $0.name.lowercased() == "host" }!.value }

    func signingRequest(path: String? = nil) -> SigningRequest {
        SigningRequest(method: method, scheme: "https", authority: host, path: path ?? self.path, query: query,
                       headers: headers)
    }
}

enum VectorError: Error {
    case unreadable(String)
}

extension SigningRequest {
    /// The value of the `X-Amz-Signature` parameter or the `Signature=` part of `Authorization`.
    var signatureForTests: String? {
        if let authorization = headers.first(where: { $0.name == "Authorization" })?.value,
            let range = authorization.range(of: "Signature=")
        {
            return String(authorization[range.upperBound...])
        }
        return query.components(separatedBy: "&").first { $0.hasPrefix("X-Amz-Signature=") }
            .map { String($0.dropFirst("X-Amz-Signature=".count)) }
    }
}
