import ArgumentParser
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayS3
import Foundation

/// The exit statuses of `devpay` (documented in docs/cli.md and `devpay --help`), from the BSD sysexits
/// set so scripts can tell the cases apart.
enum ExitStatus: Int32, CaseIterable {
    /// The command did what was asked.
    case success = 0
    /// Any other failure (S3 refused a request, the store is unusable, …).
    case failure = 1
    /// The command line is wrong (ArgumentParser's own code).
    case usage = 64
    /// The activation key is malformed, expired or for another product: get a new one.
    case activationKey = 65
    /// Network or TLS failure: no usable answer from the service.
    case network = 69
    /// The customer is not subscribed (payment pending or failed, or cancelled).
    case subscription = 77

    /// Where a customer gets a new activation key (DevPay guide).
    static let activateURL = "http://www.amazon.com/dp-activate"
    /// Where a customer fixes the payment of a DevPay subscription (DevPay guide).
    static let billingURL = "http://www.amazon.com/dp-applications"

    /// One line per status, for `--help`.
    static let helpText = """
        Exit status: 0 success; 1 other failure; 64 usage error; 65 activation key problem (get a new key at \
        \(activateURL)); 69 network or TLS failure; 77 not subscribed (fix the payment at \(billingURL)).
        """
}

/// A failure as the user sees it: the status and a message that says what to do, without secrets.
struct CommandFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String
    var description: String { message }

    /// Classifies `error` (the errors of the lifecycle, License Service, S3 and transport modules); `nil`
    /// for anything else, which ArgumentParser reports (help requests, usage errors, other errors as 1).
    init?(classifying error: any Error) {
        switch error {
        case let failure as CommandFailure:
            self = failure
        case let error as DevPayLifecycleError:
            self.init(lifecycle: error)
        case let error as LicenseServiceError:
            self.init(licenseService: error)
        case HTTPClientError.invalidURL(let url):
            self.init(status: .usage, message: "invalid or refused URL: \(url)")
        case let error as HTTPClientError:
            self.init(status: .network, message: Self.advice(for: error, service: "the service"))
        case let error as S3ServiceError:
            self.init(status: Self.isSubscriptionCode(error.code) ? .subscription : .failure, message: "S3: \(error)")
        default:
            return nil
        }
    }

    init(status: ExitStatus, message: String) {
        self.status = status
        self.message = message
    }

    private init(lifecycle error: DevPayLifecycleError) {
        switch error {
        case .malformedActivationKey:
            self.init(status: .activationKey, message: "\(error). Get a new activation key at \(ExitStatus.activateURL)")
        case .licenseService(let failure):
            self.init(licenseFailure: failure)
        case .notSubscribed(let state) where state.name == .subscriptionUnknown:
            self.init(
                status: .network,
                message: "the subscription could not be checked (no answer from the License Service), so S3 stays closed. Run `devpay verify` to see why.")
        case .notSubscribed:
            self.init(
                status: .subscription,
                message: "\(error). If the payment failed, fix it at \(ExitStatus.billingURL)")
        case .s3(let answer) where Self.isSubscriptionCode(answer.code):
            self.init(status: .subscription, message: "\(error). Check the subscription at \(ExitStatus.billingURL)")
        default:
            self.init(status: .failure, message: "\(error)")
        }
    }

    private init(licenseFailure failure: LicenseServiceFailure) {
        if let connection = failure.connection {
            self.init(connection: connection, service: "the License Service")
        } else if failure.action == .getNewActivationKey {
            self.init(status: .activationKey, message: "\(failure). Get a new activation key at \(ExitStatus.activateURL)")
        } else if failure.code == "UserNotSubscribed" {
            self.init(status: .subscription, message: "\(failure). Fix the payment at \(ExitStatus.billingURL)")
        } else if case .retryLater = failure.action, failure.code == nil {
            self.init(status: .network, message: "\(failure)")
        } else {
            self.init(status: .failure, message: "\(failure)")
        }
    }

    private init(licenseService error: LicenseServiceError) {
        switch error.requiredAction {
        case .getNewActivationKey:
            self.init(status: .activationKey, message: "\(error). Get a new activation key at \(ExitStatus.activateURL)")
        case .fixPayment:
            self.init(status: .subscription, message: "\(error). Fix the payment at \(ExitStatus.billingURL)")
        default:
            if case .transport(let connection) = error {
                self.init(connection: connection, service: "the License Service")
            } else {
                self.init(status: .failure, message: "\(error)")
            }
        }
    }

    /// No answer from `service`: exit 69 with what failed and what to do, or 64 for a refused URL.
    private init(connection: HTTPClientError, service: String) {
        if case .invalidURL = connection {
            self.init(status: .usage, message: Self.advice(for: connection, service: service))
        } else {
            self.init(status: .network, message: Self.advice(for: connection, service: service))
        }
    }

    /// Which failure it was (name resolution, no route, TLS, …) and what a person can do about it.
    static func advice(for error: HTTPClientError, service: String) -> String {
        switch error {
        case .nameResolution(let host):
            return "name resolution failed: \(host) could not be resolved. Check the network connection and the host name of --endpoint."
        case .connect(let reason):
            return "no connection to \(service): \(reason). Check the network connection, or that the service (a local emulator) is running on that port."
        case .timeout:
            return "no answer from \(service) in time (no route or a very slow network). Check the network, or pass a longer --timeout."
        case .tls(let failure):
            let what = "TLS: \(service): \(failure.summary) (\(failure.detail))."
            switch failure.reason {
            case .untrustedCertificate:
                return what + " Retrying cannot help: pass the service's CA with --ca-file (a local emulator prints its CA file), or check for a proxy that intercepts HTTPS."
            case .expiredCertificate:
                return what + " Retrying cannot help: check this computer's clock; otherwise the service must renew its certificate."
            case .hostnameMismatch:
                return what + " Retrying cannot help: check the host name in --endpoint."
            case .pinnedKeyMismatch:
                return what + " Retrying cannot help: the service's key changed or the connection is intercepted."
            case .trustRootsUnusable:
                return what + " Check the file given to --ca-file (PEM CA certificates)."
            case .handshake:
                return what + " Check that --endpoint is an HTTPS service."
            }
        case .invalidURL(let reason):
            return "refused URL: \(reason). \(service.prefix(1).uppercased() + service.dropFirst()) is reached over HTTPS only; check --endpoint."
        case .cancelled, .shutDown, .responseTooLarge, .transfer, .configuration:
            return "no usable answer from \(service): \(error)"
        }
    }

    /// S3 codes that mean the customer may not use the product (docs/protocol.md §5, the access-denied family).
    private static func isSubscriptionCode(_ code: String?) -> Bool {
        ["AccessDenied", "AllAccessDisabled", "AccountProblem", "NotSignedUp", "InvalidPayer"].contains(code ?? "")
    }
}
