import DevPayKit
import PropertyBased

/// One step of a random session: what the customer, the services, the clock or the process do.
enum LifecycleCommand: Sendable, CustomStringConvertible {
    enum KeyKind: Sendable, CaseIterable { case valid, expired, wrongProduct, malformed }
    enum ServiceTrouble: Sendable, CaseIterable { case throttledBurst, rejectsUserToken, badProductToken, clockSkew, undetermined }

    case activate(KeyKind)
    case reactivate(KeyKind)
    case verifyOnDemand
    case setSubscribed(Bool)
    case serviceTrouble(ServiceTrouble)
    case revokeTokens
    case advance(seconds: Int)
    case s3(code: String?)
    case restart(corruptStore: Bool)
    case storeFailsNextSave
    case signOut

    static let s3Codes: [String?] = [
        nil, "ExpiredToken", "InvalidToken", "InvalidAccessKeyId", "InvalidSecurity", "TokenRefreshRequired",
        "SignatureDoesNotMatch", "RequestTimeTooSkewed", "AccessDenied", "NotSignedUp", "InvalidPayer", "SlowDown",
        "InternalError", "NoSuchKey",
    ]

    /// Weighted so sessions reach subscribed often and still meet every kind of trouble.
    static let generator = Gen<Int>.int(in: 0...99).map { roll -> LifecycleCommand in
        switch roll {
        case 0..<12: .activate(roll % 4 == 0 ? .expired : roll % 4 == 1 ? .malformed : .valid)
        case 12..<18: .reactivate(KeyKind.allCases[roll % 4])
        case 18..<22: .activate(.wrongProduct)
        case 22..<28: .verifyOnDemand
        case 28..<38: .setSubscribed(roll % 5 != 0)
        case 38..<46: .serviceTrouble(ServiceTrouble.allCases[roll % 5])
        case 46..<48: .revokeTokens
        case 48..<62: .advance(seconds: [1, 29, 30, 31, 90, 600, 3600][roll % 7])
        case 62..<66: .s3(code: "TokenRefreshRequired")
        case 66..<82: .s3(code: s3Codes[roll % s3Codes.count])
        case 82..<88: .restart(corruptStore: roll % 3 == 0)
        case 88..<92: .storeFailsNextSave
        default: .signOut
        }
    }

    var description: String {
        switch self {
        case .activate(let kind): "activate(\(kind))"
        case .reactivate(let kind): "reactivate(\(kind))"
        case .verifyOnDemand: "verifyOnDemand"
        case .setSubscribed(let value): "setSubscribed(\(value))"
        case .serviceTrouble(let trouble): "serviceTrouble(\(trouble))"
        case .revokeTokens: "revokeTokens"
        case .advance(let seconds): "advance(\(seconds) s)"
        case .s3(let code): "s3(\(code ?? "success"))"
        case .restart(let corrupt): "restart(corrupt: \(corrupt))"
        case .storeFailsNextSave: "storeFailsNextSave"
        case .signOut: "signOut"
        }
    }
}
