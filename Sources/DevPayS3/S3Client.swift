public import DevPayHTTP
public import DevPayRetry
public import DevPaySigning
import HTTPTypes

/// An S3 client for what a DevPay desktop product does: buckets and objects, each request signed with the
/// customer's credentials and, with DevPay, the user and product tokens.
///
/// The client asks ``credentials`` for the credentials before every request, so the activation lifecycle can
/// refuse a request while the customer is not subscribed and swap the set after a reactivation without
/// rebuilding the client. Objects of any size stream: uploads from a file, downloads chunk by chunk.
///
/// Throttling (503 `SlowDown`) and service faults are retried by the configured ``Configuration/retry`` engine;
/// any other error status from S3 is thrown as ``S3ServiceError`` with S3's code, and the lifecycle maps it to
/// what the product must do.
public struct S3Client: Sendable {
    /// Everything but the credentials.
    public struct Configuration: Sendable {
        /// The service and how buckets are addressed.
        public var endpoint: S3Endpoint
        /// SigV4 (default) or the DevPay-era SigV2.
        public var signatureVersion: S3SignatureVersion
        /// DevPay tokens as two `x-amz-security-token` fields (default, the guide's form) or one combined field.
        public var securityTokenFields: S3SecurityTokenFields
        /// Timeouts and the cap for buffered answers (listings, error bodies, ``S3Client/getObject(bucket:key:maximumBytes:)``).
        public var requestOptions: HTTPRequestOptions
        /// The wall-clock time requests are signed at, in seconds since 1970 (UTC). Inject it in tests; the
        /// lifecycle adds its clock-skew correction here.
        public var currentTime: @Sendable () -> Int64
        /// Retries throttled and failed attempts; shared by all the client's requests (quota, rate limiter).
        public var retry: RetryEngine

        /// Creates a configuration; by default SigV4 at the system's wall-clock time, with the `standard`
        /// retry policy on the continuous clock.
        public init(
            endpoint: S3Endpoint,
            signatureVersion: S3SignatureVersion = .v4,
            securityTokenFields: S3SecurityTokenFields = .separate,
            requestOptions: HTTPRequestOptions = HTTPRequestOptions(),
            currentTime: @escaping @Sendable () -> Int64 = WallClockTime.secondsSince1970,
            retry: RetryEngine = RetryEngine(policy: .standard, clock: ContinuousClock())
        ) {
            self.endpoint = endpoint
            self.signatureVersion = signatureVersion
            self.securityTokenFields = securityTokenFields
            self.requestOptions = requestOptions
            self.currentTime = currentTime
            self.retry = retry
        }
    }

    /// The configuration the client was made with.
    public let configuration: Configuration
    private let transport: any HTTPStreamingTransport
    private let credentials: @Sendable () async throws -> SigningCredentials
    private var builder: S3RequestBuilder {
        S3RequestBuilder(endpoint: configuration.endpoint, signatureVersion: configuration.signatureVersion,
                         securityTokenFields: configuration.securityTokenFields)
    }

    /// Creates a client that asks `credentials` for the credentials before each request (it may throw to refuse
    /// the request, as the DevPay lifecycle does while the customer is not subscribed).
    public init(
        configuration: Configuration,
        transport: any HTTPStreamingTransport,
        credentials: @escaping @Sendable () async throws -> SigningCredentials
    ) {
        self.configuration = configuration
        self.transport = transport
        self.credentials = credentials
    }

    /// Creates a client with fixed credentials (any S3-compatible service, or tests).
    public init(configuration: Configuration, transport: any HTTPStreamingTransport, credentials: SigningCredentials) {
        self.init(configuration: configuration, transport: transport, credentials: { credentials })
    }

    // MARK: - Buckets

    /// The customer's buckets.
    public func listBuckets() async throws -> [S3Bucket] {
        let response = try await send(S3Operation(name: "ListBuckets", method: .get))
        return try S3ResponseDecoding.buckets(from: response.body)
    }

    /// Creates `bucket` (in the endpoint's default location).
    public func createBucket(_ bucket: String) async throws {
        _ = try await send(S3Operation(name: "CreateBucket", method: .put, bucket: bucket, payload: .empty), body: .bytes([]))
    }

    /// Deletes `bucket`, which must be empty (S3 answers `BucketNotEmpty` otherwise, as an ``S3ServiceError``).
    public func deleteBucket(_ bucket: String) async throws {
        _ = try await send(S3Operation(name: "DeleteBucket", method: .delete, bucket: bucket))
    }

    /// One page of the objects in `bucket` (`ListObjectsV2`).
    ///
    /// - Parameters:
    ///   - prefix: only keys that start with it.
    ///   - delimiter: groups keys that share a prefix up to it into ``S3ObjectListPage/commonPrefixes``.
    ///   - continuationToken: the previous page's ``S3ObjectListPage/nextContinuationToken``.
    ///   - maximumKeys: at most this many keys (S3 caps a page at 1 000).
    public func listObjects(
        bucket: String,
        prefix: String? = nil,
        delimiter: String? = nil,
        continuationToken: String? = nil,
        maximumKeys: Int? = nil
    ) async throws -> S3ObjectListPage {
        var query = [QueryParameter("list-type", "2")]
        if let continuationToken { query.append(QueryParameter("continuation-token", continuationToken)) }
        if let delimiter { query.append(QueryParameter("delimiter", delimiter)) }
        if let maximumKeys { query.append(QueryParameter("max-keys", String(maximumKeys))) }
        if let prefix { query.append(QueryParameter("prefix", prefix)) }
        let response = try await send(S3Operation(name: "ListObjectsV2", method: .get, bucket: bucket, query: query))
        return try S3ResponseDecoding.objectListPage(from: response.body)
    }

    /// Every page of the objects in `bucket`, fetched one at a time as the caller iterates.
    public func allObjects(bucket: String, prefix: String? = nil, pageSize: Int? = nil) -> S3ObjectListing {
        S3ObjectListing(client: self, bucket: bucket, prefix: prefix, pageSize: pageSize)
    }

    // MARK: - Objects

    /// Stores `bytes` as `key` in `bucket`; SigV4 signs the payload's hash. Returns the entity tag.
    @discardableResult
    public func putObject(bucket: String, key: String, bytes: [UInt8], contentType: String? = nil) async throws -> String? {
        var operation = S3Operation(name: "PutObject", method: .put, bucket: bucket, key: key, payload: .hash(of: bytes))
        if let contentType { operation.headers.append(HTTPHeader("Content-Type", contentType)) }
        let response = try await send(operation, body: .bytes(bytes))
        return S3ResponseDecoding.objectInfo(from: response.head).eTag
    }

    /// Uploads the regular file at `path` as `key`, streaming it (never whole in memory); SigV4 sends
    /// `UNSIGNED-PAYLOAD` (TLS protects the body). Returns the entity tag.
    @discardableResult
    public func putObject(
        bucket: String,
        key: String,
        fileAt path: String,
        contentType: String? = nil,
        progress: HTTPProgressHandler? = nil
    ) async throws -> String? {
        var operation = S3Operation(name: "PutObject", method: .put, bucket: bucket, key: key, payload: .unsigned)
        if let contentType { operation.headers.append(HTTPHeader("Content-Type", contentType)) }
        let response = try await send(operation, body: .file(path: path), progress: progress)
        return S3ResponseDecoding.objectInfo(from: response.head).eTag
    }

    /// The object `key` in `bucket`, read into memory; larger than `maximumBytes` is an error (stream big
    /// objects with ``getObject(bucket:key:progress:receive:)`` or ``downloadObject(bucket:key:toFileAt:progress:)``).
    public func getObject(bucket: String, key: String, maximumBytes: Int = 16 << 20) async throws -> [UInt8] {
        var options = configuration.requestOptions
        options.maximumResponseBytes = maximumBytes
        return try await send(S3Operation(name: "GetObject", method: .get, bucket: bucket, key: key), options: options).body
    }

    /// Streams the object `key` in `bucket` to `receive` chunk by chunk, with backpressure.
    ///
    /// The transfer lives as long as `receive` runs. An error status is thrown as ``S3ServiceError`` before
    /// `receive` is called. Only failures before `receive` starts are retried: once bytes have reached the
    /// caller, an error ends the download and is rethrown as it is.
    public func getObject<Result>(
        bucket: String,
        key: String,
        progress: HTTPProgressHandler? = nil,
        receive: (S3ObjectInfo, HTTPResponseBody) async throws -> Result
    ) async throws -> Result {
        let operation = S3Operation(name: "GetObject", method: .get, bucket: bucket, key: key)
        do {
            return try await configuration.retry.run(operation.name) { _ in
                let request = try await signed(operation)
                return try await transport.execute(
                    request, body: .empty, options: configuration.requestOptions, progress: progress
                ) { head, body in
                    guard head.status.kind == .successful else {
                        let errorBody = try await body.collect(upTo: configuration.requestOptions.maximumResponseBytes)
                        throw S3ResponseDecoding.serviceError(head: head, body: errorBody)
                    }
                    do {
                        return try await receive(S3ResponseDecoding.objectInfo(from: head), body)
                    } catch {
                        throw ReceiverFailure(underlying: error)
                    }
                }
            }
        } catch let failure as ReceiverFailure {
            throw failure.underlying
        }
    }

    /// Downloads the object `key` in `bucket` into a file at `path`, streaming; the file appears (atomically,
    /// mode 0600) only when the whole object has arrived.
    @discardableResult
    public func downloadObject(
        bucket: String,
        key: String,
        toFileAt path: String,
        progress: HTTPProgressHandler? = nil
    ) async throws -> S3ObjectInfo {
        try await getObject(bucket: bucket, key: key, progress: progress) { info, body in
            let file = try S3DownloadFile(finalPath: path)
            do {
                for try await chunk in body { try file.write(chunk) }
                try file.commit()
            } catch {
                file.discard()
                throw error
            }
            return info
        }
    }

    /// What S3 knows of the object `key` in `bucket` (size, type, entity tag), without its body.
    public func headObject(bucket: String, key: String) async throws -> S3ObjectInfo {
        let response = try await send(S3Operation(name: "HeadObject", method: .head, bucket: bucket, key: key))
        return S3ResponseDecoding.objectInfo(from: response.head)
    }

    /// Deletes the object `key` in `bucket` (S3 answers success for a key that does not exist).
    public func deleteObject(bucket: String, key: String) async throws {
        _ = try await send(S3Operation(name: "DeleteObject", method: .delete, bucket: bucket, key: key))
    }

    // MARK: - Exchanges

    private func signed(_ operation: S3Operation) async throws -> HTTPRequest {
        let credentials = try await credentials()
        return try builder.signedRequest(for: operation, credentials: credentials, secondsSince1970: configuration.currentTime())
    }

    private func send(
        _ operation: S3Operation,
        body: HTTPRequestBody = .empty,
        options: HTTPRequestOptions? = nil,
        progress: HTTPProgressHandler? = nil
    ) async throws -> HTTPBufferedResponse {
        try await configuration.retry.run(operation.name) { _ in
            let request = try await signed(operation)
            let response = try await transport.send(
                request, body: body, options: options ?? configuration.requestOptions, progress: progress
            )
            guard response.head.status.kind == .successful else {
                throw S3ResponseDecoding.serviceError(head: response.head, body: response.body)
            }
            return response
        }
    }
}

/// An error thrown by the caller's own receiver (or while it read the body): never retried, because the
/// caller has already seen part of the object.
private struct ReceiverFailure: RetryClassifiable {
    var underlying: any Error
    var retryClassification: RetryClassification { .permanent }
}
