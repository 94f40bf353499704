import DevPayLicenseService
import Foundation
import Testing

/// The recorded bodies in `Specs/license-service/` and what `cases.json` says the client must make of them.
struct RecordedCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Expectation: Decodable, Sendable {
        var kind: String
        var userToken: String?
        var accessKeyID: String?
        var secretAccessKey: String?
        var requestID: String?
        var subscribed: Bool?
        var codes: [String]?
        var parties: [String]?
        var requiredAction: String?
        var detail: String?
        var problem: String?
    }

    var file: String
    var action: String
    var status: Int
    var expect: Expectation

    var testDescription: String { "\(file) as \(action) with HTTP \(status)" }

    var body: [UInt8] {
        get throws { try Array(Data(contentsOf: RecordedCase.folder.appendingPathComponent(file))) }
    }

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Specs/license-service")

    static let all: [RecordedCase] = {
        struct Manifest: Decodable { var cases: [RecordedCase] }
        do {
            let data = try Data(contentsOf: folder.appendingPathComponent("cases.json"))
            return try JSONDecoder().decode(Manifest.self, from: data).cases
        } catch {
            fatalError("Specs/license-service/cases.json is unreadable: \(error)")
        }
    }()
}

/// Short names for outcomes, as `cases.json` spells them.
enum OutcomeName {
    static func of(_ action: LicenseServiceRequiredAction) -> String {
        switch action {
        case .getNewActivationKey: "getNewActivationKey"
        case .fixProductToken: "fixProductToken"
        case .reactivate: "reactivate"
        case .fixPayment: "fixPayment"
        case .retryLater: "retryLater"
        case .fixConnectionSettings: "fixConnectionSettings"
        case .correctClockAndRetry: "correctClockAndRetry"
        case .reportBug: "reportBug"
        case .undetermined: "undetermined"
        }
    }

    static func of(_ party: LicenseServiceFaultParty?) -> String {
        switch party {
        case .sender: "Sender"
        case .receiver: "Receiver"
        case .other(let text): text
        case nil: ""
        }
    }

    static func of(_ problem: LicenseServiceResponseProblem) -> String {
        switch problem {
        case .unreadableXML(let error):
            switch error {
            case .documentTypeForbidden: "unreadableXML:documentTypeForbidden"
            case .truncated: "unreadableXML:truncated"
            case .malformed: "unreadableXML:malformed"
            default: "unreadableXML:\(error)"
            }
        case .unexpectedRoot(let name): "unexpectedRoot:\(name)"
        case .missingElement(let name): "missingElement:\(name)"
        case .invalidValue(let element, _): "invalidValue:\(element)"
        case .errorWithoutCode: "errorWithoutCode"
        }
    }
}
