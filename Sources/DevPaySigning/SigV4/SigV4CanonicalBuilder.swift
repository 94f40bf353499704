/// Builds SigV4 canonical requests in reusable buffers: header names are lower-cased into one scratch
/// buffer, entries point into it, and values are copied once, trimmed, straight into the output. After the
/// first few requests every buffer has its capacity and nothing is allocated.
struct SigV4CanonicalBuilder {
    /// Where a header's value comes from.
    private enum ValueSource {
        case request(Int)
        case synthetic(Range<Int>)
    }

    private struct HeaderEntry {
        var name: Range<Int>
        var value: ValueSource
    }

    private struct QueryEntry {
        var name: Range<Int>
        var value: Range<Int>
    }

    /// The canonical request of the last ``build(request:pathRule:query:excludingSignature:payload:)``.
    private(set) var canonicalRequest: [UInt8] = []
    /// `host;x-amz-date;…` of the collected headers, after ``sortHeaders()``.
    private(set) var signedHeaders: [UInt8] = []
    private var names: [UInt8] = []
    private var syntheticValues: [UInt8] = []
    private var headers: [HeaderEntry] = []
    private var queryBytes: [UInt8] = []
    private var queryEntries: [QueryEntry] = []
    /// Whether a `host` header was among the collected ones.
    private(set) var hasHost = false

    init() {
        canonicalRequest.reserveCapacity(2048)
        signedHeaders.reserveCapacity(256)
        names.reserveCapacity(512)
        syntheticValues.reserveCapacity(2048)
        headers.reserveCapacity(32)
        queryBytes.reserveCapacity(512)
        queryEntries.reserveCapacity(16)
    }

    mutating func reset() {
        canonicalRequest.removeAll(keepingCapacity: true)
        signedHeaders.removeAll(keepingCapacity: true)
        names.removeAll(keepingCapacity: true)
        syntheticValues.removeAll(keepingCapacity: true)
        headers.removeAll(keepingCapacity: true)
        queryBytes.removeAll(keepingCapacity: true)
        queryEntries.removeAll(keepingCapacity: true)
        hasHost = false
    }

    // MARK: Headers

    /// Adds the request's headers, lower-casing names. `include` sees each lower-cased name (in `names`) and
    /// decides whether it is signed.
    mutating func collectHeaders(of request: SigningRequest, include: (borrowing [UInt8], Range<Int>) -> Bool) {
        for index in request.headers.indices {
            let start = names.count
            request.headers[index].name.withUTF8Bytes { bytes in
                for byte in bytes { names.append(ASCII.lowercased(byte)) }
            }
            let range = start..<names.count
            if include(names, range) {
                if names.rangeEquals(range, "host") { hasHost = true }
                headers.append(HeaderEntry(name: range, value: .request(index)))
            } else {
                names.removeSubrange(range)
            }
        }
    }

    /// Adds a header the signer supplies; `writeValue` appends its (already canonical) value.
    mutating func addSyntheticHeader(_ name: StaticString, writeValue: (inout [UInt8]) -> Void) {
        let nameStart = names.count
        names.appendLiteral(name)
        let valueStart = syntheticValues.count
        writeValue(&syntheticValues)
        if names.rangeEquals(nameStart..<names.count, "host") { hasHost = true }
        headers.append(HeaderEntry(name: nameStart..<names.count, value: .synthetic(valueStart..<syntheticValues.count)))
    }

    /// Sorts headers by name (stable, so repeated fields keep their order) and fills ``signedHeaders``.
    mutating func sortHeaders() {
        // Insertion sort: requests have a handful of headers, and it needs no scratch memory.
        if headers.count > 1 {
            for current in 1..<headers.count {
                let entry = headers[current]
                var position = current
                while position > 0, names.compareRanges(headers[position - 1].name, entry.name) > 0 {
                    headers[position] = headers[position - 1]
                    position -= 1
                }
                headers[position] = entry
            }
        }
        signedHeaders.removeAll(keepingCapacity: true)
        var previous: Range<Int>? = nil
        for entry in headers {
            if let previous, names.compareRanges(previous, entry.name) == 0 { continue }
            if previous != nil { signedHeaders.append(UInt8(ascii: ";")) }
            signedHeaders.append(contentsOf: names[entry.name])
            previous = entry.name
        }
    }

    // MARK: Canonical request

    /// Writes the canonical request. `query` is the raw query to canonicalise (the request's, or the
    /// request's plus presigning parameters); `excludingSignature` drops `X-Amz-Signature`.
    mutating func build(request: SigningRequest, pathRule: SigV4PathRule, query: String, excludingSignature: Bool,
                        payload: SigV4Payload) {
        canonicalRequest.removeAll(keepingCapacity: true)
        canonicalRequest.appendUTF8(request.method)
        canonicalRequest.append(UInt8(ascii: "\n"))
        appendCanonicalURI(request.path, rule: pathRule)
        canonicalRequest.append(UInt8(ascii: "\n"))
        appendCanonicalQuery(query, excludingSignature: excludingSignature)
        canonicalRequest.append(UInt8(ascii: "\n"))
        appendCanonicalHeaders(request)
        canonicalRequest.append(UInt8(ascii: "\n"))
        canonicalRequest.append(contentsOf: signedHeaders)
        canonicalRequest.append(UInt8(ascii: "\n"))
        switch payload {
        case .unsigned: canonicalRequest.appendLiteral("UNSIGNED-PAYLOAD")
        case .sha256Hex(let hex): canonicalRequest.appendUTF8(hex)
        }
    }

    private mutating func appendCanonicalHeaders(_ request: SigningRequest) {
        var index = 0
        while index < headers.count {
            let name = headers[index].name
            canonicalRequest.append(contentsOf: names[name])
            canonicalRequest.append(UInt8(ascii: ":"))
            var first = true
            while index < headers.count, names.compareRanges(name, headers[index].name) == 0 {
                if !first { canonicalRequest.append(UInt8(ascii: ",")) }
                first = false
                switch headers[index].value {
                case .request(let headerIndex):
                    request.headers[headerIndex].value.withUTF8Bytes { Self.appendTrimmed($0, to: &canonicalRequest) }
                case .synthetic(let range):
                    canonicalRequest.append(contentsOf: syntheticValues[range])
                }
                index += 1
            }
            canonicalRequest.append(UInt8(ascii: "\n"))
        }
    }

    /// SigV4's trim-all: no leading or trailing whitespace, inner runs of whitespace (including folded
    /// line breaks) become one space.
    static func appendTrimmed(_ value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var start = 0
        var end = value.count
        while start < end, ASCII.isFoldableSpace(value[start]) { start += 1 }
        while end > start, ASCII.isFoldableSpace(value[end - 1]) { end -= 1 }
        var needsFolding = false
        var previousWasSpace = false
        for index in start..<end {
            let byte = value[index]
            if byte == 0x09 || byte == 0x0A || byte == 0x0D || (byte == 0x20 && previousWasSpace) {
                needsFolding = true
                break
            }
            previousWasSpace = byte == 0x20
        }
        if !needsFolding {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: value[start..<end]))
            return
        }
        previousWasSpace = false
        for index in start..<end {
            let byte = value[index]
            if ASCII.isFoldableSpace(byte) {
                if !previousWasSpace { output.append(0x20) }
                previousWasSpace = true
            } else {
                output.append(byte)
                previousWasSpace = false
            }
        }
    }

    private mutating func appendCanonicalURI(_ path: String, rule: SigV4PathRule) {
        guard !path.isEmpty else {
            canonicalRequest.append(UInt8(ascii: "/"))
            return
        }
        if !rule.normalizesPath && !rule.encodesPath {
            canonicalRequest.appendUTF8(path)
            return
        }
        let source = rule.normalizesPath ? Self.normalized(Array(path.utf8)) : Array(path.utf8)
        if rule.encodesPath {
            PercentEncoding.append(source, to: &canonicalRequest, keepingSlash: true)
        } else {
            canonicalRequest.append(contentsOf: source)
        }
    }

    /// RFC 3986 dot-segment removal plus empty-segment removal; a trailing slash survives.
    static func normalized(_ path: [UInt8]) -> [UInt8] {
        var kept: [ArraySlice<UInt8>] = []
        for segment in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if segment.elementsEqual(".".utf8) { continue }
            if segment.elementsEqual("..".utf8) {
                _ = kept.popLast()
                continue
            }
            kept.append(segment)
        }
        var output: [UInt8] = [UInt8(ascii: "/")]
        output.append(contentsOf: kept.joined(separator: [UInt8(ascii: "/")]))
        if path.last == UInt8(ascii: "/"), output.count > 1 { output.append(UInt8(ascii: "/")) }
        return output
    }

    private mutating func appendCanonicalQuery(_ query: String, excludingSignature: Bool) {
        guard !query.isEmpty else { return }
        query.withUTF8Bytes { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "&") { end += 1 }
                if end > start {
                    var equals = start
                    while equals < end, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
                    let nameStart = queryBytes.count
                    PercentEncoding.appendCanonicalQueryComponent(
                        UnsafeBufferPointer(rebasing: bytes[start..<equals]), to: &queryBytes)
                    let valueStart = queryBytes.count
                    if equals < end {
                        PercentEncoding.appendCanonicalQueryComponent(
                            UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<end]), to: &queryBytes)
                    }
                    let entry = QueryEntry(name: nameStart..<valueStart, value: valueStart..<queryBytes.count)
                    if excludingSignature, queryBytes.rangeEquals(entry.name, "X-Amz-Signature") {
                        queryBytes.removeSubrange(nameStart..<queryBytes.count)
                    } else {
                        queryEntries.append(entry)
                    }
                }
                start = end + 1
            }
        }
        if queryEntries.count > 1 {
            for current in 1..<queryEntries.count {
                let entry = queryEntries[current]
                var position = current
                while position > 0, isOrdered(entry, before: queryEntries[position - 1]) {
                    queryEntries[position] = queryEntries[position - 1]
                    position -= 1
                }
                queryEntries[position] = entry
            }
        }
        for (index, entry) in queryEntries.enumerated() {
            if index > 0 { canonicalRequest.append(UInt8(ascii: "&")) }
            canonicalRequest.append(contentsOf: queryBytes[entry.name])
            canonicalRequest.append(UInt8(ascii: "="))
            canonicalRequest.append(contentsOf: queryBytes[entry.value])
        }
    }

    private func isOrdered(_ lhs: QueryEntry, before rhs: QueryEntry) -> Bool {
        let byName = queryBytes.compareRanges(lhs.name, rhs.name)
        return byName != 0 ? byName < 0 : queryBytes.compareRanges(lhs.value, rhs.value) < 0
    }
}

/// Header names SigV4 never signs (hop-by-hop, or changed by proxies), as AWS SDKs skip them.
enum SigV4UnsignedHeaders {
    static func contains(_ names: borrowing [UInt8], _ range: Range<Int>) -> Bool {
        switch range.count {
        case 2: names.rangeEquals(range, "te")
        case 6: names.rangeEquals(range, "expect")
        case 7: names.rangeEquals(range, "trailer") || names.rangeEquals(range, "upgrade")
        case 10: names.rangeEquals(range, "connection") || names.rangeEquals(range, "keep-alive")
            || names.rangeEquals(range, "user-agent")
        case 13: names.rangeEquals(range, "authorization")
        case 15: names.rangeEquals(range, "x-amzn-trace-id")
        case 17: names.rangeEquals(range, "transfer-encoding")
        case 18: names.rangeEquals(range, "proxy-authenticate")
        case 19: names.rangeEquals(range, "proxy-authorization")
        default: false
        }
    }
}
