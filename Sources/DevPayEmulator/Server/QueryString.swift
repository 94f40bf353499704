import Foundation

/// A query string kept as sent (for SigV4's canonical query) and decoded (for parameters).
struct QueryString: Sendable {
    /// Each `name=value` pair exactly as on the wire, in order.
    let rawPairs: [(name: Substring, value: Substring)]

    init(_ raw: String?) {
        rawPairs = (raw ?? "").split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (pair[..<equals], pair[pair.index(after: equals)...])
            }
            return (pair[...], "")
        }
    }

    /// Percent-decoding; `formEncoded` also reads `+` as a space (HTML forms, the License Service's POST).
    static func decode(_ text: Substring, formEncoded: Bool) -> String {
        let spaced = formEncoded ? text.replacingOccurrences(of: "+", with: " ") : String(text)
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Decoded pairs in order; repeated names repeat.
    func decodedPairs(formEncoded: Bool) -> [(name: String, value: String)] {
        rawPairs.map { (Self.decode($0.name, formEncoded: formEncoded), Self.decode($0.value, formEncoded: formEncoded)) }
    }

    /// The first value of `name`, decoded, or `nil`.
    func value(_ name: String) -> String? {
        decodedPairs(formEncoded: false).first { $0.name == name }?.value
    }

    func contains(_ name: String) -> Bool { rawPairs.contains { Self.decode($0.name, formEncoded: false) == name } }
}
