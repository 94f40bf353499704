#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Draws identifiers shaped like Amazon's from an injected generator, so a seeded emulator run repeats.
struct CredentialFactory<Generator: RandomNumberGenerator> {
    var generator: Generator

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    mutating func characters(_ count: Int, from alphabet: String) -> String {
        let pool = Array(alphabet)
        return String((0..<count).map { _ in pool[Int.random(in: 0..<pool.count, using: &generator)] })
    }

    /// `{ProductToken}` + base64: long and full of `+ / =`, like the real ones, to exercise URL encoding.
    mutating func productToken() -> String { "{ProductToken}" + Data(bytes(222)).base64EncodedString() }

    /// `{UserToken}` + base64; a new value on every activation and refresh.
    mutating func userToken() -> String { "{UserToken}" + Data(bytes(289)).base64EncodedString() }

    mutating func productCode() -> String { characters(8, from: "0123456789ABCDEF") }

    mutating func accessKeyID() -> String { "AKIA" + characters(16, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") }

    mutating func secretAccessKey() -> String { String(Data(bytes(30)).base64EncodedString().prefix(40)) }

    mutating func customerID() -> String { "C" + characters(11, from: "0123456789") }

    mutating func activationKey() -> String { ActivationKeyGenerator.key(using: &generator) }

    mutating func requestID() -> String {
        let hex = bytes(16).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4),
                     hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
