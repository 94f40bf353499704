/// Signs an S3 upload body sent in `aws-chunked` encoding (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`), so a large
/// body is signed as it streams instead of being hashed whole before the request starts.
///
/// Each chunk's signature covers its bytes and the previous signature, starting from the request's own
/// (seed) signature, so chunks cannot be dropped, reordered or altered. Get one from
/// ``SigV4Signer/signStreaming(_:at:decodedContentLength:chunkSize:)``, which also sets the request's headers,
/// then send ``encode(_:)`` for every chunk (all ``chunkSize`` bytes but the last) and ``finish()`` once.
///
/// ```swift
/// var chunks = try signer.signStreaming(&request, at: time, decodedContentLength: file.count, chunkSize: 65_536)
/// for piece in file.chunks(ofCount: 65_536) { send(chunks.encode(piece)) }
/// send(chunks.finish())
/// ```
public struct SigV4ChunkSigner: Sendable, CustomStringConvertible {
    /// The `x-amz-content-sha256` value of a request whose body is signed chunk by chunk.
    public static let payloadMarker = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    /// The smallest chunk S3 accepts, except for the last one.
    public static let minimumChunkSize = 8 * 1024

    /// The size of every chunk but the last.
    public let chunkSize: Int
    /// The signature the next chunk chains to: the seed signature at first, then the last chunk's.
    public private(set) var previousSignature: String
    private let signingKey: HMACKey<SHA256State>
    /// `AWS4-HMAC-SHA256-PAYLOAD\n<amz date>\n<scope>\n`, the start of every chunk's string to sign.
    private let stringToSignPrefix: [UInt8]
    private var finished = false

    init(signingKey: HMACKey<SHA256State>, amzDate: String, scope: String, seedSignature: String, chunkSize: Int) {
        self.signingKey = signingKey
        self.stringToSignPrefix = Array("AWS4-HMAC-SHA256-PAYLOAD\n\(amzDate)\n\(scope)\n".utf8)
        self.previousSignature = seedSignature
        self.chunkSize = chunkSize
    }

    /// The signature of the chunk `data`, chained to the previous one (which it then replaces).
    public mutating func signature(ofChunk data: some Collection<UInt8>) -> String {
        var stringToSign = stringToSignPrefix
        stringToSign.append(contentsOf: previousSignature.utf8)
        stringToSign.append(UInt8(ascii: "\n"))
        stringToSign.append(contentsOf: SigV4Payload.empty.value.utf8)
        stringToSign.append(UInt8(ascii: "\n"))
        stringToSign.append(contentsOf: SHA256.hexDigest(data).utf8)
        var mac = [UInt8](repeating: 0, count: 32)
        stringToSign.withUnsafeBytes { message in
            mac.withUnsafeMutableBytes { signingKey.authenticate(message, into: $0.baseAddress!) }
        }
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        mac.withUnsafeBytes { ByteEncoding.appendLowerHex($0, to: &hex) }
        previousSignature = String(decoding: hex, as: UTF8.self)
        return previousSignature
    }

    /// One chunk as it goes on the wire: `<size in hex>;chunk-signature=<signature>\r\n<data>\r\n`.
    /// - Precondition: `data` is not empty (the empty chunk is ``finish()``), and not after ``finish()``.
    public mutating func encode(_ data: some Collection<UInt8>) -> [UInt8] {
        precondition(!data.isEmpty, "an empty chunk ends the body: call finish()")
        precondition(!finished, "the body has already ended")
        return frame(data)
    }

    /// The final, empty chunk that ends the body.
    public mutating func finish() -> [UInt8] {
        precondition(!finished, "the body has already ended")
        finished = true
        return frame(EmptyCollection())
    }

    private mutating func frame(_ data: some Collection<UInt8>) -> [UInt8] {
        let signature = signature(ofChunk: data)
        var output = Array(String(data.count, radix: 16).utf8)
        output.append(contentsOf: ";chunk-signature=".utf8)
        output.append(contentsOf: signature.utf8)
        output.append(contentsOf: [0x0D, 0x0A])
        output.append(contentsOf: data)
        output.append(contentsOf: [0x0D, 0x0A])
        return output
    }

    /// The `Content-Length` of a body of `decodedLength` bytes sent in chunks of `chunkSize` (the last one
    /// shorter), final empty chunk included.
    public static func encodedLength(decodedLength: Int, chunkSize: Int) -> Int {
        func framed(_ size: Int) -> Int {
            String(size, radix: 16).utf8.count + ";chunk-signature=".utf8.count + 64 + 2 + size + 2
        }
        let full = decodedLength / chunkSize
        let rest = decodedLength % chunkSize
        return full * framed(chunkSize) + (rest > 0 ? framed(rest) : 0) + framed(0)
    }

    /// Shows the chunk size and the position in the chain, never the key.
    public var description: String {
        "SigV4ChunkSigner(chunkSize: \(chunkSize), previousSignature: \(previousSignature))"
    }
}
