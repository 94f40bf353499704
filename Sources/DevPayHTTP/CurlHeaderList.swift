import CDevPayCurl
import HTTPTypes

/// A request's header list for `CURLOPT_HTTPHEADER`: the caller's fields, owned by the transfer, followed by a
/// shared tail of ``SuppressedDefaultFields``.
struct CurlHeaderList {
    /// What libcurl reads.
    let head: UnsafeMutablePointer<curl_slist>?
    /// The last of the transfer's own entries (`nil` when the caller set no field), whose `next` is the shared tail.
    private let ownLast: UnsafeMutablePointer<curl_slist>?
    /// Keeps the shared tail alive as long as this list.
    private let shared: SuppressedDefaultFields

    init(fields: HTTPFields, shared: SuppressedDefaultFields) {
        var head: UnsafeMutablePointer<curl_slist>?
        for field in fields {
            // "Name:" would remove the field; "Name;" is libcurl's spelling for a field with an empty value.
            let line = field.value.isEmpty ? "\(field.name.rawName);" : "\(field.name.rawName): \(field.value)"
            head = curl_slist_append(head, line)
        }
        var last = head
        while let next = last?.pointee.next { last = next }
        let tail = shared.tail(for: fields)
        last?.pointee.next = tail
        self.head = head ?? tail
        self.ownLast = last
        self.shared = shared
    }

    /// Frees the transfer's own entries (not the shared tail). Call once, after libcurl stopped using the list.
    func free() {
        guard let ownLast else { return }
        ownLast.pointee.next = nil
        curl_slist_free_all(head)
    }
}

/// libcurl adds `Accept: */*`, a `Content-Type` for POST bodies and `Expect: 100-continue` unless the header list
/// has an empty `Name:` entry for them. S3 and the License Service sign the fields they receive, so every request
/// suppresses those its caller did not set. The eight possible sets of entries are built once per client and shared
/// read-only by every transfer, instead of six allocations per request.
///
/// `@unchecked Sendable` is sound because the lists are built in `init` and never modified afterwards (libcurl only
/// reads a header list, and ``CurlHeaderList`` links them without changing them), and are freed in `deinit`, when no
/// ``CurlHeaderList`` holds the object any more.
final class SuppressedDefaultFields: @unchecked Sendable {
    private static let names: [HTTPField.Name] = [.accept, .contentType, .expect]
    /// Index: a bit mask over `names` of the entries the list contains.
    private let tails: [UnsafeMutablePointer<curl_slist>?]

    init() {
        tails = (0..<(1 << Self.names.count)).map { mask in
            var list: UnsafeMutablePointer<curl_slist>?
            for (bit, name) in Self.names.enumerated() where mask & (1 << bit) != 0 {
                list = curl_slist_append(list, "\(name.rawName):")
            }
            return list
        }
    }

    deinit {
        for tail in tails { curl_slist_free_all(tail) }
    }

    /// The entries suppressing the defaults that `fields` does not set.
    func tail(for fields: HTTPFields) -> UnsafeMutablePointer<curl_slist>? {
        var mask = 0
        for (bit, name) in Self.names.enumerated() where fields[name] == nil { mask |= 1 << bit }
        return tails[mask]
    }
}
