/// Builds SigV4 canonical requests in reusable buffers: header names are lower-cased into one scratch
/// buffer, entries point into it, and values are copied once, trimmed, straight into the output. After the
/// first few requests every buffer has its capacity and nothing is allocated.
struct SigV4CanonicalBuilder {
    /// Where a header's value comes from.
    private enum ValueSource {
        case request(Int)
        case synthetic(Range<Int>)
        /// ``securityToken``, referred to rather than copied (it is hundreds of bytes).
        case securityToken
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
    private(set) var canonicalRequest = ReusableBytes()
    /// `host;x-amz-date;…` of the collected headers, after ``sortHeaders()``.
    private(set) var signedHeaders = ReusableBytes()
    private var names: [UInt8] = []
    private var syntheticValues: [UInt8] = []
    private var headers: [HeaderEntry] = []
    private var queryBytes: [UInt8] = []
    private var queryEntries: [QueryEntry] = []
    /// Whether a `host` header was among the collected ones.
    private(set) var hasHost = false
    /// The `x-amz-security-token` value the signer adds (see ``addSecurityTokenHeader()``), set with the
    /// credentials.
    var securityToken: [UInt8] = []

    init() {
        canonicalRequest = ReusableBytes(capacity: 2048)
        signedHeaders = ReusableBytes(capacity: 256)
        names.reserveCapacity(512)
        syntheticValues.reserveCapacity(2048)
        headers.reserveCapacity(32)
        queryBytes.reserveCapacity(512)
        queryEntries.reserveCapacity(16)
    }

    mutating func reset() {
        canonicalRequest.removeAll()
        signedHeaders.removeAll()
        names.removeAll(keepingCapacity: true)
        syntheticValues.removeAll(keepingCapacity: true)
        headers.removeAll(keepingCapacity: true)
        queryBytes.removeAll(keepingCapacity: true)
        queryEntries.removeAll(keepingCapacity: true)
        hasHost = false
    }

    // MARK: Headers

    /// Which request headers a signature covers.
    enum HeaderSelection {
        /// Header form: all but the unsigned ones and those the signer replaces (`x-amz-date` always; the
        /// token and the content hash when the signer sets them).
        case signing(replacesToken: Bool, replacesContentHash: Bool)
        /// Presigned form: all but the unsigned ones.
        case presigning
        /// Server side: exactly the names listed in `SignedHeaders`.
        case listed(Set<[UInt8]>)
    }

    /// Adds the request's headers that `selection` keeps, lower-casing names.
    mutating func collectHeaders(of request: SigningRequest, selection: HeaderSelection) {
        for index in request.headers.indices {
            let start = names.count
            request.headers[index].name.withUTF8Bytes { bytes in
                names.appendWriting(maxCount: bytes.count) { out in
                    for byte in bytes { out.write(ASCII.lowercased(byte)) }
                }
            }
            let range = start..<names.count
            let included: Bool
            switch selection {
            case .signing(let replacesToken, let replacesContentHash):
                included = !SigV4UnsignedHeaders.contains(names, range) && !names.rangeEquals(range, "x-amz-date")
                    && !(replacesToken && names.rangeEquals(range, "x-amz-security-token"))
                    && !(replacesContentHash && names.rangeEquals(range, "x-amz-content-sha256"))
            case .presigning:
                included = !SigV4UnsignedHeaders.contains(names, range)
            case .listed(let wanted):
                included = wanted.contains(Array(names[range]))
            }
            if included {
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

    /// Adds `x-amz-security-token` with ``securityToken`` as its value.
    mutating func addSecurityTokenHeader() {
        let nameStart = names.count
        names.appendLiteral("x-amz-security-token")
        headers.append(HeaderEntry(name: nameStart..<names.count, value: .securityToken))
    }

    /// Sorts headers by name (stable, so repeated fields keep their order) and fills ``signedHeaders``.
    mutating func sortHeaders() {
        let names = self.names
        // The output moves into a local so the entries and names are borrowed once for the whole pass.
        var output = signedHeaders
        signedHeaders = ReusableBytes()
        defer { signedHeaders = output }
        output.removeAll()
        names.withUnsafeBufferPointer { names in
            headers.withUnsafeMutableBufferPointer { headers in
                // Insertion sort: requests have a handful of headers, and it needs no scratch memory.
                if headers.count > 1 {
                    for current in 1..<headers.count {
                        let entry = headers[current]
                        var position = current
                        while position > 0, Self.compare(names, headers[position - 1].name, entry.name) > 0 {
                            headers[position] = headers[position - 1]
                            position -= 1
                        }
                        headers[position] = entry
                    }
                }
                let headers = UnsafeBufferPointer(headers)
                output.write(maxCount: names.count + headers.count) { out in
                    for index in headers.indices {
                        let name = headers[index].name
                        if index > 0 {
                            if Self.equals(names, headers[index - 1].name, name) { continue }
                            out.write(UInt8(ascii: ";"))
                        }
                        out.write(UnsafeBufferPointer(rebasing: names[name]))
                    }
                }
            }
        }
    }

    /// Whether two names are the same; most differ in length, which settles it without reading them.
    @inline(__always)
    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        lhs.count == rhs.count && compare(bytes, lhs, rhs) == 0
    }

    @inline(__always)
    private static func compare(_ bytes: UnsafeBufferPointer<UInt8>, _ lhs: Range<Int>, _ rhs: Range<Int>) -> Int {
        let common = min(lhs.count, rhs.count)
        guard common > 0, let base = bytes.baseAddress else { return lhs.count - rhs.count }
        let left = UnsafeRawPointer(base + lhs.lowerBound)
        let right = UnsafeRawPointer(base + rhs.lowerBound)
        var offset = 0
        // Eight bytes at a time: the names and parameters compared here share long prefixes (`x-amz-`,
        // `X-Amz-`), and big-endian words order like their bytes.
        while offset &+ 8 <= common {
            let leftWord = left.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
            let rightWord = right.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
            if leftWord != rightWord { return leftWord < rightWord ? -1 : 1 }
            offset &+= 8
        }
        while offset < common {
            let leftByte = left.load(fromByteOffset: offset, as: UInt8.self)
            let rightByte = right.load(fromByteOffset: offset, as: UInt8.self)
            if leftByte != rightByte { return Int(leftByte) - Int(rightByte) }
            offset &+= 1
        }
        return lhs.count - rhs.count
    }

    // MARK: Canonical request

    /// Writes the canonical request from the collected headers (after ``sortHeaders()``) and query
    /// parameters (``collectQuery(_:excludingSignature:)``, ``addQueryParameter(_:_:)``).
    mutating func build(request: SigningRequest, pathRule: SigV4PathRule, payload: SigV4Payload) {
        sortQuery()
        // The output moves into a local for the pass and the builder is then only borrowed, so the writing
        // code touches only pointers (no exclusivity conflict, and no retain of each buffer it borrows).
        var output = canonicalRequest
        canonicalRequest = ReusableBytes()
        output.removeAll()
        Self.writeCanonicalRequest(of: self, request: request, pathRule: pathRule, payload: payload, to: &output)
        canonicalRequest = output
    }

    private static func writeCanonicalRequest(of builder: borrowing SigV4CanonicalBuilder, request: SigningRequest,
                                              pathRule: SigV4PathRule, payload: SigV4Payload,
                                              to output: inout ReusableBytes) {
        // Everything below is written through one pointer after one capacity check; the bound adds up the
        // pieces (paths may triple when encoded, values only shrink when trimmed).
        let method = request.method.utf8.count
        let path = request.path.utf8.count * 3 + 2
        let query = builder.queryBytes.count + 2 * builder.queryEntries.count
        let headerLines = request.headers.withUnsafeBufferPointer { requestHeaders in
            var length = builder.names.count + builder.syntheticValues.count + builder.securityToken.count
                + 3 * builder.headers.count
            for index in requestHeaders.indices { length += requestHeaders[index].value.utf8.count }
            return length
        }
        let payloadLength = switch payload {
        case .unsigned: 16
        case .sha256Hex(let hex): hex.utf8.count
        }
        let bound = method + path + query + headerLines + builder.signedHeaders.count + payloadLength + 8
        builder.queryBytes.withUnsafeBufferPointer { queryBytes in
            builder.queryEntries.withUnsafeBufferPointer { queryEntries in
                builder.names.withUnsafeBufferPointer { names in
                    builder.syntheticValues.withUnsafeBufferPointer { synthetic in
                        builder.headers.withUnsafeBufferPointer { headers in
                            request.headers.withUnsafeBufferPointer { requestHeaders in
                                builder.signedHeaders.withUnsafeBufferPointer { signedHeaders in
                                    builder.securityToken.withUnsafeBufferPointer { securityToken in
                                        output.write(maxCount: bound) { out in
                                            out.write(request.method)
                                            out.write(UInt8(ascii: "\n"))
                                            Self.writeCanonicalURI(request.path, rule: pathRule, to: &out)
                                            out.write(UInt8(ascii: "\n"))
                                            for index in queryEntries.indices {
                                                if index > 0 { out.write(UInt8(ascii: "&")) }
                                                out.write(UnsafeBufferPointer(rebasing: queryBytes[queryEntries[index].name]))
                                                out.write(UInt8(ascii: "="))
                                                out.write(UnsafeBufferPointer(rebasing: queryBytes[queryEntries[index].value]))
                                            }
                                            out.write(UInt8(ascii: "\n"))
                                            Self.writeCanonicalHeaders(headers, names: names, synthetic: synthetic,
                                                                       securityToken: securityToken,
                                                                       requestHeaders: requestHeaders, to: &out)
                                            out.write(UInt8(ascii: "\n"))
                                            out.write(signedHeaders)
                                            out.write(UInt8(ascii: "\n"))
                                            switch payload {
                                            case .unsigned: out.write("UNSIGNED-PAYLOAD")
                                            case .sha256Hex(let hex): out.write(hex)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func writeCanonicalHeaders(_ headers: UnsafeBufferPointer<HeaderEntry>,
                                              names: UnsafeBufferPointer<UInt8>, synthetic: UnsafeBufferPointer<UInt8>,
                                              securityToken: UnsafeBufferPointer<UInt8>,
                                              requestHeaders: UnsafeBufferPointer<HTTPHeader>, to out: inout ByteWriter) {
        func writeValue(of entry: HeaderEntry) {
            switch entry.value {
            case .request(let headerIndex):
                requestHeaders[headerIndex].value.withUTF8Bytes { writeTrimmed($0, to: &out) }
            case .synthetic(let range):
                out.write(UnsafeBufferPointer(rebasing: synthetic[range]))
            case .securityToken:
                out.write(securityToken)
            }
        }
        var index = 0
        while index < headers.count {
            let name = headers[index].name
            out.write(UnsafeBufferPointer(rebasing: names[name]))
            out.write(UInt8(ascii: ":"))
            writeValue(of: headers[index])
            index += 1
            // Repeated fields follow their first occurrence (the sort is stable): join their values.
            while index < headers.count, equals(names, name, headers[index].name) {
                out.write(UInt8(ascii: ","))
                writeValue(of: headers[index])
                index += 1
            }
            out.write(UInt8(ascii: "\n"))
        }
    }

    /// SigV4's trim-all: no leading or trailing whitespace, inner runs of whitespace (including folded
    /// line breaks) become one space.
    static func writeTrimmed(_ value: UnsafeBufferPointer<UInt8>, to output: inout ByteWriter) {
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
            output.write(UnsafeBufferPointer(rebasing: value[start..<end]))
            return
        }
        previousWasSpace = false
        for index in start..<end {
            let byte = value[index]
            if ASCII.isFoldableSpace(byte) {
                if !previousWasSpace { output.write(0x20) }
                previousWasSpace = true
            } else {
                output.write(byte)
                previousWasSpace = false
            }
        }
    }

    private static func writeCanonicalURI(_ path: String, rule: SigV4PathRule, to output: inout ByteWriter) {
        guard !path.isEmpty else {
            output.write(UInt8(ascii: "/"))
            return
        }
        if !rule.normalizesPath && !rule.encodesPath {
            output.write(path)
            return
        }
        let source = rule.normalizesPath ? Self.normalized(Array(path.utf8)) : Array(path.utf8)
        if rule.encodesPath {
            PercentEncoding.write(source, to: &output, keepingSlash: true)
        } else {
            output.write(source)
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

    /// Adds the parameters of the raw `query` (as sent, percent-encoded) in canonical form;
    /// `excludingSignature` drops `X-Amz-Signature` (server side, presigned requests).
    mutating func collectQuery(_ query: String, excludingSignature: Bool) {
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
    }

    /// Adds a parameter the signer supplies, its `value` already in canonical (percent-encoded) form, so it
    /// is not decoded and encoded again.
    mutating func addQueryParameter(_ name: StaticString, _ value: UnsafeBufferPointer<UInt8>) {
        let nameStart = queryBytes.count
        queryBytes.appendLiteral(name)
        let valueStart = queryBytes.count
        queryBytes.append(contentsOf: value)
        queryEntries.append(QueryEntry(name: nameStart..<valueStart, value: valueStart..<queryBytes.count))
    }

    /// Sorts the parameters by name, then value (insertion sort over one borrow of the bytes and entries).
    private mutating func sortQuery() {
        guard queryEntries.count > 1 else { return }
        let queryBytes = self.queryBytes
        queryBytes.withUnsafeBufferPointer { bytes in
            queryEntries.withUnsafeMutableBufferPointer { entries in
                for current in 1..<entries.count {
                    let entry = entries[current]
                    var position = current
                    while position > 0, Self.isOrdered(entry, before: entries[position - 1], in: bytes) {
                        entries[position] = entries[position - 1]
                        position -= 1
                    }
                    entries[position] = entry
                }
            }
        }
    }

    private static func isOrdered(_ lhs: QueryEntry, before rhs: QueryEntry, in bytes: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        let byName = compare(bytes, lhs.name, rhs.name)
        return byName != 0 ? byName < 0 : compare(bytes, lhs.value, rhs.value) < 0
    }
}

/// Header names SigV4 never signs (hop-by-hop, or changed by proxies), as AWS SDKs skip them.
enum SigV4UnsignedHeaders {
    static func contains(_ names: [UInt8], _ range: Range<Int>) -> Bool {
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
