/// Where the bucket name sits in an S3 URL, which decides SigV2's CanonicalizedResource.
public enum S3Addressing: Sendable, Hashable {
    /// `https://s3.amazonaws.com/bucket/key`: the path already starts with the bucket.
    case pathStyle
    /// `https://bucket.s3.amazonaws.com/key`: the resource is `/bucket` + path.
    case virtualHosted(bucket: String)

    /// Reads a virtual-hosted bucket from an Amazon S3 host name (`bucket.s3.amazonaws.com`,
    /// `bucket.s3.us-west-2.amazonaws.com`, `bucket.s3-external-1.amazonaws.com`); anything else
    /// (`s3.amazonaws.com`, `127.0.0.1:9000`, custom endpoints) is path-style.
    public static func infer(fromHost host: String) -> S3Addressing {
        let hostPart = host.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        let hostname = Array(hostPart.lowercased().utf8)
        guard hostname.count > 14, hostname.suffix(14).elementsEqual(".amazonaws.com".utf8) else { return .pathStyle }
        // The last ".s3." or ".s3-" ends the bucket (bucket names may themselves hold dots).
        var marker = hostname.count - 4
        while marker > 0 {
            if hostname[marker..<(marker + 3)].elementsEqual(".s3".utf8),
                hostname[marker + 3] == UInt8(ascii: ".") || hostname[marker + 3] == UInt8(ascii: "-")
            {
                // The bucket keeps the case it was sent with.
                return .virtualHosted(bucket: String(decoding: hostPart.utf8.prefix(marker), as: UTF8.self))
            }
            marker -= 1
        }
        return .pathStyle
    }
}
