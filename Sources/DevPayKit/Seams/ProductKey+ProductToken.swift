public import DevPayCredentialStore
public import DevPayLicenseService

extension ProductKey {
    /// The store key of a parsed product token: the folder name hashes ``ProductToken/value``, the same
    /// trimmed and checked text every DevPay request carries.
    ///
    /// For a token given without surrounding white space (every token that was already valid as given) the
    /// name is exactly what `productToken(_:)` always gave for that text, so existing stores keep their
    /// folder. A token once passed with stray white space around it now lands in the folder of its trimmed
    /// form; a set stored under the padded spelling is not found and the product activates again
    /// (docs/license-service.md, "Product token").
    public static func product(_ token: ProductToken) -> ProductKey {
        .productToken(token.value)
    }
}
