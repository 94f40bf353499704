/// Where the credential store keeps its files.
public struct CredentialStoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// The store's root folder (absolute path).
    public var path: String

    /// Uses `path` as the store's root folder.
    public init(path: String) {
        self.path = path
    }

    /// The default folder: `$XDG_DATA_HOME/devpay`, else `$HOME/.local/share/devpay`.
    ///
    /// Returns `nil` when neither variable gives an absolute path: the app must then choose a folder.
    public static func standard(environment: [String: String]) -> CredentialStoreLocation? {
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return CredentialStoreLocation(path: dataHome + "/devpay")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return CredentialStoreLocation(path: home + "/.local/share/devpay")
        }
        return nil
    }

    public var description: String { path }
}
