/// The License Service API version a request names: `Version=` in REST-Query, the namespace of the action
/// element in SOAP. Both versions have the same actions and elements for a desktop product; answers are
/// read in either namespace whatever was asked.
// swift-format-ignore: AlwaysUseLowerCamelCase
// The case names spell the version dates as the service does, digits grouped by underscores.
public enum LicenseServiceAPIVersion: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The first published version, and the service's default when a REST-Query request names none.
    case v2007_06_05 = "2007-06-05"
    /// The version of the last published schema and WSDL: what DevPayKit sends unless told otherwise.
    case v2008_04_28 = "2008-04-28"

    /// What a client sends when no version is chosen.
    public static let `default`: LicenseServiceAPIVersion = .v2008_04_28

    /// The XML namespace of the version's schema, e.g. `http://ls.amazonaws.com/doc/2008-04-28/`.
    public var namespace: String { "http://ls.amazonaws.com/doc/\(rawValue)/" }

    public var description: String { rawValue }
}

/// How `ActivateDesktopProduct` travels. `VerifyProductSubscriptionByTokens` and `RefreshUserToken` are
/// REST-Query only for desktop products, whatever is chosen here.
public enum LicenseServiceWireForm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// An HTTPS GET with the parameters in the query (`Action`, `Version`, …).
    case restQuery = "rest-query"
    /// An HTTPS POST of a SOAP 1.1 envelope whose Body holds `<ActivateDesktopProduct>` in the version's
    /// namespace; faults come back as SOAP faults.
    case soap

    public var description: String { rawValue }
}
