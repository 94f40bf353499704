public import DevPayHTTP
public import DevPayRetry
import DevPaySigning
import Foundation
import HTTPTypes
public import Logging

/// The License Service client: `ActivateDesktopProduct`, `VerifyProductSubscriptionByTokens` and
/// `RefreshUserToken` over HTTPS GET.
///
/// Inputs are validated before anything is sent; throttling (503, `RequestThrottled`, `ServiceUnavailable`)
/// and passing faults (`InternalError`, 500/502/504, resets, timeouts) are retried by the injected
/// ``RetryEngine``, honouring `Retry-After`; every failure arrives as a ``LicenseServiceError`` whose
/// ``LicenseServiceError/requiredAction`` says what the product must do.
///
/// ```swift
/// let client = LicenseServiceClient(transport: CurlHTTPClient())
/// let credentials = try await client.activateDesktopProduct(activationKey: typedKey, productToken: token)
/// let subscribed = try await client.verifyProductSubscription(credentials: credentials, productToken: token)
/// ```
public struct LicenseServiceClient: Sendable {
    /// The service the client talks to.
    public let endpoint: LicenseServiceEndpoint
    /// The API version every request names.
    public var apiVersion: LicenseServiceAPIVersion { builder.apiVersion }
    /// How `ActivateDesktopProduct` travels (REST-Query or SOAP); the signed actions are always REST-Query.
    public let activationForm: LicenseServiceWireForm
    private let transport: any HTTPTransport
    private let retryEngine: RetryEngine
    private let secondsSince1970: @Sendable () -> Int64
    private let builder: LicenseServiceRequestBuilder
    private let decoder: LicenseServiceResponseDecoder
    private let requestOptions: HTTPRequestOptions
    private let callTimeout: Duration?
    private let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - endpoint: the service; Amazon's by default, an emulator's in tests. HTTPS only.
    ///   - apiVersion: the version requests name (`2008-04-28` by default; `2007-06-05` is the other one).
    ///   - activationForm: REST-Query (default) or SOAP for `ActivateDesktopProduct`.
    ///   - transport: what sends the requests (``CurlHTTPClient`` in production, a scripted one in tests).
    ///   - retryEngine: paces retries of throttled and failed attempts; keep one per client. Inject one with a
    ///     manual clock and a seeded generator in tests.
    ///   - secondsSince1970: the UTC wall clock SigV1 `Timestamp`s are read from (the system's by default).
    ///   - requestOptions: per-attempt timeouts and the response size cap (256 KiB: answers are a few KiB).
    ///   - callTimeout: the deadline for a whole call, retries and waits included; `nil` for none.
    ///   - logger: where calls are logged at debug level (action, status, request id; never keys or tokens).
    public init(
        endpoint: LicenseServiceEndpoint = .amazon,
        apiVersion: LicenseServiceAPIVersion = .default,
        activationForm: LicenseServiceWireForm = .restQuery,
        transport: any HTTPTransport,
        retryEngine: RetryEngine = RetryEngine(policy: .standard),
        secondsSince1970: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        requestOptions: HTTPRequestOptions = HTTPRequestOptions(maximumResponseBytes: 256 << 10),
        callTimeout: Duration? = .seconds(120),
        logger: Logger = Logger(label: "devpay.license-service")
    ) {
        self.endpoint = endpoint
        self.transport = transport
        self.retryEngine = retryEngine
        self.secondsSince1970 = secondsSince1970
        self.activationForm = activationForm
        self.builder = LicenseServiceRequestBuilder(endpoint: endpoint, apiVersion: apiVersion)
        self.decoder = LicenseServiceResponseDecoder()
        self.requestOptions = requestOptions
        self.callTimeout = callTimeout
        self.logger = logger
    }

    /// Exchanges the customer's activation key for a new credential set (`ActivateDesktopProduct`, unsigned).
    ///
    /// Activation succeeds even when the customer's card is bad: verify the subscription before using S3.
    /// - Parameters:
    ///   - activationKey: the key the customer typed or pasted; trimmed and upper-cased. Never stored.
    ///   - productToken: the product's token, `{ProductToken}…`.
    ///   - tokenExpiration: how long the user token should live (whole seconds); `nil` for no expiry.
    /// - Throws: ``LicenseServiceError``; `.invalidInput` before any network call when an input is malformed.
    public func activateDesktopProduct(
        activationKey: String,
        productToken: String,
        tokenExpiration: Duration? = nil
    ) async throws(LicenseServiceError) -> CustomerCredentials {
        let key: ActivationKey
        let token: ProductToken
        do {
            key = try ActivationKey(activationKey)
            token = try ProductToken(productToken)
        } catch {
            throw .invalidInput(error)
        }
        return try await activateDesktopProduct(activationKey: key, productToken: token, tokenExpiration: tokenExpiration)
    }

    /// Exchanges an already validated activation key for a new credential set.
    public func activateDesktopProduct(
        activationKey: ActivationKey,
        productToken: ProductToken,
        tokenExpiration: Duration? = nil
    ) async throws(LicenseServiceError) -> CustomerCredentials {
        let request: OutgoingRequest
        switch activationForm {
        case .restQuery:
            request = OutgoingRequest(head: try builder.activateDesktopProduct(
                activationKey: activationKey, productToken: productToken, tokenExpiration: tokenExpiration), body: nil)
        case .soap:
            let (head, body) = try builder.soapActivateDesktopProduct(
                activationKey: activationKey, productToken: productToken, tokenExpiration: tokenExpiration)
            request = OutgoingRequest(head: head, body: body)
        }
        let answer = try await call(.activateDesktopProduct) { () throws(LicenseServiceError) in request }
        guard case .activated(let credentials) = answer.result else { preconditionFailure("decoder answered another action") }
        return credentials
    }

    /// Asks whether the customer is subscribed (`VerifyProductSubscriptionByTokens`, SigV1 with the customer's
    /// keys). Call it when the app opens and after activation; a new customer may take minutes to be subscribed.
    public func verifyProductSubscription(
        credentials: CustomerCredentials,
        productToken: ProductToken
    ) async throws(LicenseServiceError) -> Bool {
        let answer = try await call(.verifyProductSubscriptionByTokens) { () throws(LicenseServiceError) in
            OutgoingRequest(head: try builder.verifyProductSubscriptionByTokens(
                credentials: credentials, productToken: productToken, at: try now()), body: nil)
        }
        guard case .subscription(let isSubscribed) = answer.result else { preconditionFailure("decoder answered another action") }
        return isSubscribed
    }

    /// Gets a fresh user token (`RefreshUserToken`, SigV1 with the customer's keys), e.g. after S3 answered
    /// `TokenRefreshRequired`. Returns the same set with the new token in place.
    public func refreshUserToken(
        credentials: CustomerCredentials,
        productToken: ProductToken
    ) async throws(LicenseServiceError) -> CustomerCredentials {
        let answer = try await call(.refreshUserToken) { () throws(LicenseServiceError) in
            OutgoingRequest(head: try builder.refreshUserToken(
                credentials: credentials, productToken: productToken, at: try now()), body: nil)
        }
        guard case .refreshedUserToken(let token) = answer.result else { preconditionFailure("decoder answered another action") }
        var refreshed = credentials
        refreshed.userToken = token
        return refreshed
    }

    private func now() throws(LicenseServiceError) -> SigningTime {
        do {
            return try SigningTime(secondsSince1970: secondsSince1970())
        } catch {
            throw .invalidInput(.clockOutOfRange)
        }
    }

    /// Sends the request `makeRequest` builds (again for each attempt, so a signed request carries a fresh
    /// `Timestamp` after a wait) under the retry engine, and decodes the answer.
    private func call(
        _ action: LicenseServiceAction,
        _ makeRequest: () throws(LicenseServiceError) -> OutgoingRequest
    ) async throws(LicenseServiceError) -> LicenseServiceAnswer {
        do {
            return try await retryEngine.run(action.rawValue, timeout: callTimeout) { attempt in
                try await self.attempt(action, try makeRequest(), attempt: attempt)
            }
        } catch let error as LicenseServiceError {
            throw error
        } catch RetryError.deadlineExceeded(_, let lastError) {
            throw (lastError as? LicenseServiceError) ?? .transport(.timeout)
        } catch RetryError.circuitOpen(let retryAfter) {
            throw .circuitOpen(retryAfter: retryAfter)
        } catch {
            // Only cancellation is left: `attempt` throws nothing but our own errors and CancellationError.
            throw .transport(.cancelled)
        }
    }

    private func attempt(
        _ action: LicenseServiceAction,
        _ request: OutgoingRequest,
        attempt: RetryAttempt
    ) async throws -> LicenseServiceAnswer {
        var options = requestOptions
        if let remaining = attempt.timeRemaining {
            options.totalTimeout = min(options.totalTimeout, max(remaining, .milliseconds(1)))
        }
        let response: HTTPBufferedResponse
        do {
            response = try await transport.send(request.head, body: request.body, options: options)
        } catch let error as HTTPClientError {
            logger.debug("License Service call failed", metadata: ["action": "\(action.rawValue)", "attempt": "\(attempt.number)", "error": "\(error)"])
            throw LicenseServiceError.transport(error)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // A transport outside DevPayHTTP threw its own type: keep its name, not its text.
            throw LicenseServiceError.transport(.transfer("\(type(of: error))"))
        }
        let fields = response.head.headerFields
        let hint = ServerRetryHint.parse(
            retryAfter: fields[.retryAfter],
            responseDate: fields[.date],
            amzRetryAfter: fields[HTTPField.Name("x-amz-retry-after")!]
        )
        let status = response.head.status.code
        do {
            let answer = try decoder.decode(action, status: status, retryAfter: hint?.delay, body: response.body)
            logger.debug("License Service call", metadata: ["action": "\(action.rawValue)", "status": "\(status)", "requestID": "\(answer.requestID ?? "none")"])
            return answer
        } catch {
            logger.debug("License Service error answer", metadata: ["action": "\(action.rawValue)", "attempt": "\(attempt.number)", "status": "\(status)", "codes": "\(error.codes.map(\.rawValue))"])
            throw error
        }
    }
}

/// One request as it goes out: the head and, for SOAP, the envelope.
private struct OutgoingRequest: Sendable {
    var head: HTTPRequest
    var body: [UInt8]?
}
