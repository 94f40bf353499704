import HTTPTypes

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Field names that arrive on nearly every response, validated once.
///
/// `HTTPField.Name(_:)` checks every character and lowercases the name on each call, which made building the
/// response head the largest Swift-side cost of a small exchange. A received name spelt exactly like an entry here
/// reuses the entry, so `rawName` still is the server's spelling; any other name takes the general path.
enum CommonFieldNames {
    private static let entries: [(spelling: [UInt8], name: HTTPField.Name)] = {
        let spellings = [
            "Server", "Date", "Content-Type", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding",
            "ETag", "Last-Modified", "Accept-Ranges", "Cache-Control", "Location", "Retry-After",
            "x-amz-request-id", "x-amz-id-2",
        ]
        // HTTP/1.1 servers mostly use the capitalised spelling; HTTP/2 and HTTP/3 always send lowercase.
        let both = spellings.flatMap { [$0, $0.lowercased()] }
        return both.enumerated().filter { both.firstIndex(of: $0.element) == $0.offset }.map { entry in
            (Array(entry.element.utf8), HTTPField.Name(entry.element)!)
        }
    }()

    /// The shared name spelt exactly as `bytes`, if there is one.
    static func name(spelt bytes: UnsafeRawBufferPointer) -> HTTPField.Name? {
        guard let start = bytes.baseAddress else { return nil }
        for entry in entries where entry.spelling.count == bytes.count {
            let equal = entry.spelling.withUnsafeBytes { memcmp($0.baseAddress!, start, bytes.count) == 0 }
            if equal { return entry.name }
        }
        return nil
    }
}
