/// One query parameter, decoded (not percent-encoded).
public struct QueryParameter: Sendable, Hashable {
    /// The name, e.g. `Action`.
    public var name: String
    /// The value, e.g. `{UserToken}AAAA…==`.
    public var value: String

    /// A parameter.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// `name=value&…` in the given order, names and values percent-encoded with RFC 3986's unreserved set
    /// left bare (what the License Service and S3 expect).
    public static func queryString(_ parameters: [QueryParameter]) -> String {
        var output = [UInt8]()
        output.reserveCapacity(parameters.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count * 3 + 2 })
        appendQueryString(parameters, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    static func appendQueryString(_ parameters: [QueryParameter], to output: inout [UInt8]) {
        for (index, parameter) in parameters.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "&")) }
            PercentEncoding.append(parameter.name.utf8, to: &output, keepingSlash: false)
            output.append(UInt8(ascii: "="))
            PercentEncoding.append(parameter.value.utf8, to: &output, keepingSlash: false)
        }
    }
}
