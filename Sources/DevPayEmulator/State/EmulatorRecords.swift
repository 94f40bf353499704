#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A DevPay product as registered by its developer: the code shown in the DevPay console and the token
/// embedded in the app.
public struct EmulatorProduct: Codable, Sendable, Equatable {
    /// Eight characters, e.g. `774F4FF8`.
    public var productCode: String
    /// `{ProductToken}` followed by opaque base64.
    public var productToken: String
}

/// What the emulator answers for a customer's subscription to one product, as time passes.
public enum SubscriptionScenario: Codable, Sendable, Equatable {
    /// Subscribed from the moment of purchase.
    case subscribed
    /// Card vetting: not yet subscribed (`Subscribed=false`) until `seconds` after the purchase.
    case subscribedAfter(seconds: Int)
    /// The sign-up charge failed: `VerifyProductSubscriptionByTokens` answers `UserNotSubscribed`.
    case paymentFailed
    /// Subscribed until `at` (emulator clock), not subscribed from then on.
    case cancelled(at: Date)
}

/// Where a customer's subscription stands at one instant.
public enum SubscriptionStatus: String, Codable, Sendable, Equatable {
    /// S3 works and `Subscribed` is true.
    case subscribed
    /// Card vetting has not finished yet: `Subscribed` is false, S3 answers `AccessDenied`.
    case pending
    /// The sign-up charge failed: `UserNotSubscribed`, S3 answers `AccessDenied`.
    case paymentFailed
    /// Past the cancellation date: `Subscribed` is false, S3 answers `AccessDenied`.
    case cancelled
}

/// One customer's purchase of one product.
struct PurchaseRecord: Codable, Sendable, Equatable {
    var customerID: String
    var productCode: String
    var purchasedAt: Date
    var scenario: SubscriptionScenario

    func status(at now: Date) -> SubscriptionStatus {
        switch scenario {
        case .subscribed: .subscribed
        case .subscribedAfter(let seconds):
            now >= purchasedAt.addingTimeInterval(TimeInterval(seconds)) ? .subscribed : .pending
        case .paymentFailed: .paymentFailed
        case .cancelled(let at): now >= at ? .cancelled : .subscribed
        }
    }
}

/// An activation key, bound to one customer and one product, valid for an hour after creation.
struct ActivationKeyRecord: Codable, Sendable, Equatable {
    static let lifetime: TimeInterval = 3600
    var key: String
    var customerID: String
    var productCode: String
    var createdAt: Date
    var expiresAt: Date { createdAt.addingTimeInterval(Self.lifetime) }
}

/// Credentials one activation issued: they stay valid when the customer activates another device.
struct CredentialSetRecord: Codable, Sendable, Equatable {
    var accessKeyID: String
    var secretAccessKey: String
    var userToken: String
    var customerID: String
    var productCode: String
    var issuedAt: Date
    /// From `TokenExpiration`; `nil` when the app asked for none (the token never expires).
    var userTokenExpiresAt: Date?
    /// The lifetime the app asked for, reused when the token is refreshed.
    var tokenLifetime: Int?
    /// Set by the admin API: S3 answers `TokenRefreshRequired` until `RefreshUserToken` is called.
    var refreshRequired: Bool = false
}

/// A bucket and the customer and product that own it.
struct BucketRecord: Codable, Sendable, Equatable {
    var name: String
    var customerID: String
    var productCode: String
    var createdAt: Date
}

/// An issued activation key, as the purchase page would show it.
public struct IssuedActivationKey: Codable, Sendable, Equatable {
    /// The customer who bought the product (pass it to later admin calls).
    public var customerID: String
    /// The product the key activates.
    public var productCode: String
    /// 28 characters of the base32 alphabet.
    public var activationKey: String
    /// One hour after issue, on the emulator's clock.
    public var expiresAt: Date
}

/// An object's metadata; its bytes are in the object store.
struct ObjectRecord: Codable, Sendable, Equatable {
    var key: String
    var size: Int
    /// The entity tag without quotes: hex MD5 of the body for single-part uploads, the MD5 of the parts' MD5s,
    /// a dash and the part count for multipart ones (as S3 writes them).
    var md5Hex: String
    var contentType: String?
    var lastModified: Date
}
