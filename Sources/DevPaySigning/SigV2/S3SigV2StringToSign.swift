/// Builds S3 SigV2 strings to sign in reusable buffers.
struct S3SigV2StringToSign {
    /// What goes on the Date line.
    enum DateLine {
        /// The signing time as IMF-fixdate, or empty when the request has `x-amz-date`.
        case time(SigningTime)
        /// The request's `Date` header, or empty when it has `x-amz-date` (server side).
        case fromRequest
        /// A given value: `Expires` of a presigned URL.
        case literal(String)
    }

    private struct AmzHeader {
        var name: Range<Int>
        var headerIndex: Int?
    }

    /// The string to sign of the last ``build(request:date:token:addressing:)``.
    private(set) var bytes: [UInt8] = []
    private var names: [UInt8] = []
    private var amzHeaders: [AmzHeader] = []

    init() {
        bytes.reserveCapacity(2048)
        names.reserveCapacity(256)
        amzHeaders.reserveCapacity(16)
    }

    /// Writes the string to sign. With a `token`, the request's own `x-amz-security-token` fields are
    /// replaced by it.
    mutating func build(request: SigningRequest, date: DateLine, token: SecurityToken?, addressing: S3Addressing) {
        bytes.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
        amzHeaders.removeAll(keepingCapacity: true)
        var contentMD5: Int? = nil
        var contentType: Int? = nil
        var dateHeader: Int? = nil
        var hasAmzDate = false
        for index in request.headers.indices {
            let start = names.count
            request.headers[index].name.withUTF8Bytes { name in
                for byte in name { names.append(ASCII.lowercased(byte)) }
            }
            let range = start..<names.count
            if names.rangeEquals(range, "content-md5") {
                if contentMD5 == nil { contentMD5 = index }
            } else if names.rangeEquals(range, "content-type") {
                if contentType == nil { contentType = index }
            } else if names.rangeEquals(range, "date") {
                if dateHeader == nil { dateHeader = index }
            } else if range.count > 6, names[range.lowerBound..<(range.lowerBound + 6)].elementsEqual("x-amz-".utf8) {
                if names.rangeEquals(range, "x-amz-date") { hasAmzDate = true }
                if token != nil, names.rangeEquals(range, "x-amz-security-token") {
                    names.removeSubrange(range)
                    continue
                }
                amzHeaders.append(AmzHeader(name: range, headerIndex: index))
                continue
            }
            names.removeSubrange(range)
        }
        if token != nil {
            let start = names.count
            names.appendLiteral("x-amz-security-token")
            amzHeaders.append(AmzHeader(name: start..<names.count, headerIndex: nil))
        }

        bytes.appendUTF8(request.method)
        bytes.append(UInt8(ascii: "\n"))
        if let contentMD5 { request.headers[contentMD5].value.withUTF8Bytes { Self.appendUnfolded($0, to: &bytes) } }
        bytes.append(UInt8(ascii: "\n"))
        if let contentType { request.headers[contentType].value.withUTF8Bytes { Self.appendUnfolded($0, to: &bytes) } }
        bytes.append(UInt8(ascii: "\n"))
        switch date {
        case .time(let time):
            if !hasAmzDate { bytes.appendHTTPDate(time) }
        case .fromRequest:
            if !hasAmzDate, let dateHeader {
                request.headers[dateHeader].value.withUTF8Bytes { Self.appendUnfolded($0, to: &bytes) }
            }
        case .literal(let value):
            bytes.appendUTF8(value)
        }
        bytes.append(UInt8(ascii: "\n"))
        appendAmzHeaders(request, token: token)
        Self.appendCanonicalizedResource(path: request.path, query: request.query, addressing: addressing, to: &bytes)
    }

    /// `name:value,value\n` per x-amz- header, sorted by lower-case name, repeated fields in order.
    private mutating func appendAmzHeaders(_ request: SigningRequest, token: SecurityToken?) {
        if amzHeaders.count > 1 {
            for current in 1..<amzHeaders.count {
                let entry = amzHeaders[current]
                var position = current
                while position > 0, names.compareRanges(amzHeaders[position - 1].name, entry.name) > 0 {
                    amzHeaders[position] = amzHeaders[position - 1]
                    position -= 1
                }
                amzHeaders[position] = entry
            }
        }
        var index = 0
        while index < amzHeaders.count {
            let name = amzHeaders[index].name
            bytes.append(contentsOf: names[name])
            bytes.append(UInt8(ascii: ":"))
            var first = true
            while index < amzHeaders.count, names.compareRanges(name, amzHeaders[index].name) == 0 {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                if let headerIndex = amzHeaders[index].headerIndex {
                    request.headers[headerIndex].value.withUTF8Bytes { Self.appendUnfolded($0, to: &bytes) }
                } else if let token {
                    token.append(to: &bytes)
                }
                index += 1
            }
            bytes.append(UInt8(ascii: "\n"))
        }
    }

    /// The value trimmed, with folded line breaks (and the whitespace around them) turned into one space.
    static func appendUnfolded(_ value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var start = 0
        var end = value.count
        while start < end, ASCII.isFoldableSpace(value[start]) { start += 1 }
        while end > start, ASCII.isFoldableSpace(value[end - 1]) { end -= 1 }
        var index = start
        while index < end {
            let byte = value[index]
            if byte == 0x0D || byte == 0x0A {
                while let last = output.last, last == 0x20 || last == 0x09 { output.removeLast() }
                output.append(0x20)
                while index < end, ASCII.isFoldableSpace(value[index]) { index += 1 }
                continue
            }
            output.append(byte)
            index += 1
        }
    }

    static func appendCanonicalizedResource(path: String, query: String, addressing: S3Addressing,
                                            to output: inout [UInt8]) {
        if case .virtualHosted(let bucket) = addressing {
            output.append(UInt8(ascii: "/"))
            output.appendUTF8(bucket)
        }
        if path.isEmpty { output.append(UInt8(ascii: "/")) } else { output.appendUTF8(path) }
        guard !query.isEmpty else { return }
        var subresources: [(name: Substring, value: Substring?)] = []
        for pair in query.split(separator: "&") {
            let equals = pair.firstIndex(of: "=")
            let name = pair[..<(equals ?? pair.endIndex)]
            guard S3SubResources.signed.contains(name) else { continue }
            subresources.append((name, equals.map { pair[pair.index(after: $0)...] }))
        }
        guard !subresources.isEmpty else { return }
        // Stable by name, as S3 compares them.
        let ordered = subresources.enumerated().sorted { lhs, rhs in
            lhs.element.name != rhs.element.name ? lhs.element.name < rhs.element.name : lhs.offset < rhs.offset
        }
        output.append(UInt8(ascii: "?"))
        for (position, entry) in ordered.enumerated() {
            if position > 0 { output.append(UInt8(ascii: "&")) }
            output.append(contentsOf: entry.element.name.utf8)
            if let value = entry.element.value {
                output.append(UInt8(ascii: "="))
                output.append(contentsOf: PercentEncoding.decode(value.utf8))
            }
        }
    }
}

/// The query parameters S3 includes in a SigV2 CanonicalizedResource.
enum S3SubResources {
    static let signed: Set<Substring> = [
        "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory", "lifecycle", "location",
        "logging", "metrics", "notification", "object-lock", "partNumber", "policy", "replication", "requestPayment",
        "response-cache-control", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-content-type", "response-expires", "restore", "select", "select-type",
        "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
    ]
}
