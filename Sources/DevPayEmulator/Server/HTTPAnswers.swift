import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Building blocks for answers: XML and JSON bodies, escaping, and the date formats the wire uses.
enum HTTPAnswers {
    static func xml(_ body: String, status: HTTPResponse.Status = .ok, requestID: String,
                    extraHeaders: HTTPFields = [:]) -> Response {
        var headers = extraHeaders
        headers[.contentType] = "text/xml"
        headers[HTTPField.Name("x-amz-request-id")!] = requestID
        return Response(status: status, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try jsonEncoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static var jsonDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Escapes text for an XML element or attribute.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `2026-11-30T03:00:00.000Z`, as S3 listings show times.
    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    private static let rfc1123Format = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"

    private static func rfc1123Formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = rfc1123Format
        return formatter
    }

    /// `Thu, 01 Jan 1970 00:00:00 GMT`, as `Date` and `Last-Modified` are written.
    static func rfc1123(_ date: Date) -> String { rfc1123Formatter().string(from: date) }

    static func parseRFC1123(_ text: String) -> Date? { rfc1123Formatter().date(from: text) }
}
