/// Why the emulator could not start, stop or carry out an admin call.
public enum EmulatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// OpenSSL could not generate the loopback CA or server certificate.
    case certificateGeneration(String)
    /// The caller's certificate or key PEM could not be read or used.
    case invalidTLSMaterial(String)
    /// The state folder could not be created, read or written.
    case stateStorage(path: String, reason: String)
    /// The server could not bind or failed while starting.
    case serverStart(String)
    /// An admin call named a product that is not registered.
    case unknownProduct(code: String)
    /// An admin call named a customer that has no purchase of the product.
    case unknownCustomer(id: String)
    /// An admin call's argument is out of range or malformed.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .certificateGeneration(let reason): "could not generate the loopback certificate: \(reason)"
        case .invalidTLSMaterial(let reason): "unusable TLS certificate or key: \(reason)"
        case .stateStorage(let path, let reason): "emulator state folder \(path): \(reason)"
        case .serverStart(let reason): "emulator server did not start: \(reason)"
        case .unknownProduct(let code): "no product with code \(code) is registered"
        case .unknownCustomer(let id): "customer \(id) has no purchase of that product"
        case .invalidArgument(let reason): "invalid argument: \(reason)"
        }
    }
}
