public import DevPayHTTP
public import DevPayS3
import Foundation

/// Amazon S3 (or an S3-compatible service) for one DevPay product, through the lifecycle's gate.
///
/// Nothing is sent unless the customer is subscribed; every attempt is signed (SigV4 or SigV2, as
/// `S3Client/Configuration/signatureVersion` says) with the customer's current keys, the user token and the
/// product token, at the lifecycle's clock-corrected time; and S3's error answers go back to the lifecycle,
/// which reactivates, refreshes the token, corrects the clock or checks the subscription as the DevPay rules say.
///
/// ```swift
/// let s3 = await lifecycle.s3Client(
///     configuration: S3Client.Configuration(endpoint: .amazon), transport: CurlHTTPClient())
/// let buckets = try await s3.perform { try await $0.listBuckets() }
/// try await s3.perform { try await $0.putObject(bucket: "my-bucket", key: "notes.txt", bytes: data) }
/// ```
///
/// Throttling and service faults are retried inside `S3Client` by its retry engine; the gate sees only what
/// the DevPay rules act on.
public struct DevPayS3Client<C: Clock>: Sendable where C.Duration == Duration {
    /// The lifecycle whose credentials sign the requests.
    public let lifecycle: DevPayLifecycle<C>
    /// The endpoint, signature version, timeouts and retry engine of the underlying `S3Client`.
    public let configuration: S3Client.Configuration
    private let transport: any HTTPStreamingTransport
    private let wallClock: @Sendable () -> Date

    init(
        lifecycle: DevPayLifecycle<C>,
        configuration: S3Client.Configuration,
        transport: any HTTPStreamingTransport,
        wallClock: @escaping @Sendable () -> Date
    ) {
        self.lifecycle = lifecycle
        self.configuration = configuration
        self.transport = transport
        self.wallClock = wallClock
    }

    /// Runs `operation` with an `S3Client` that signs with the customer's current set.
    ///
    /// The gate may run `operation` again (after a refreshed token, a corrected clock, or a replaced set), so
    /// it should be a single S3 call or a sequence safe to repeat.
    ///
    /// - Throws: ``DevPayLifecycleError/notSubscribed(_:)`` without sending anything while the customer is not
    ///   subscribed; ``DevPayLifecycleError/s3(_:)`` for an S3 answer the DevPay rules act on (the lifecycle has
    ///   already moved, e.g. to `expiredNeedsReactivation`); `S3ServiceError` for other S3 errors and for
    ///   throttling that outlasted the retries; transport and `S3ClientError` failures as they are.
    @discardableResult
    public func perform<Value: Sendable>(_ operation: @escaping @Sendable (S3Client) async throws -> Value) async throws -> Value {
        let configuration = configuration
        let transport = transport
        let wallClock = wallClock
        return try await lifecycle.withS3Credentials { credentials in
            var signing = configuration
            signing.currentTime = { Int64(credentials.signingDate(now: wallClock()).timeIntervalSince1970.rounded(.down)) }
            let client = S3Client(configuration: signing, transport: transport, credentials: credentials.signing)
            do {
                return try await operation(client)
            } catch let error as S3ServiceError {
                let answer = S3ErrorAnswer(code: error.code, status: error.status, serverTime: error.serverTime.flatMap(Self.date))
                // Service faults were already retried with backoff by the client's engine.
                guard answer.response != .retryWithBackoff else { throw error }
                throw answer
            }
        }
    }

    /// S3 writes `ServerTime` as ISO 8601, with or without fractional seconds.
    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: text)
    }
}

extension DevPayLifecycle {
    /// An S3 client whose every request goes through this lifecycle's gate (see ``DevPayS3Client``).
    public nonisolated func s3Client(
        configuration: S3Client.Configuration,
        transport: any HTTPStreamingTransport
    ) -> DevPayS3Client<C> {
        DevPayS3Client(lifecycle: self, configuration: configuration, transport: transport, wallClock: self.configuration.wallClock)
    }
}
