public import HTTPTypes
import Logging

/// The HTTP client every DevPayKit call goes through: libcurl's multi interface on a dedicated thread.
///
/// - One client = one thread, one multi handle and one connection cache: create one per service and keep it
///   for the life of the app, so connections (HTTP/1.1 keep-alive, HTTP/2 multiplexing) are reused.
/// - Never blocks Swift's cooperative pool; cancelling the calling task aborts the transfer at once.
/// - TLS verification is always on; ``Configuration/trustRoots`` chooses the CAs, and
///   ``Configuration/SchemePolicy/httpsOnly`` (the default) refuses plain HTTP before any I/O.
/// - Logs (at `debug`) method, host, path without the query, status and duration; never header fields,
///   query strings or bodies.
///
/// The thread stops at ``shutdown()``, or when the client is released; transfers still running then fail with
/// ``HTTPClientError/shutDown``.
public final class CurlHTTPClient: HTTPStreamingTransport {
    private let loop: CurlEventLoop
    private let factory: CurlHandleFactory
    private let configuration: Configuration

    /// Starts the client's thread.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        factory = CurlHandleFactory(
            configuration: configuration,
            handles: CurlHandlePool(capacity: max(4, configuration.maximumConnectionsPerHost))
        )
        loop = CurlEventLoop(
            maximumConnectionsPerHost: max(1, configuration.maximumConnectionsPerHost),
            maximumCachedConnections: max(4, 2 * configuration.maximumConnectionsPerHost)
        )
    }

    deinit {
        loop.submit(.shutdown)
    }

    /// Stops the client: requests in flight fail with ``HTTPClientError/shutDown``, later requests fail with it
    /// at once, the open connections close, and the transport thread ends before this returns.
    ///
    /// Call it when the client's connections must not outlive a scope (the end of a test, before stopping a
    /// local server) instead of waiting for the last reference to go. Calling it again does nothing.
    public func shutdown() async {
        loop.submit(.shutdown)
        await loop.waitUntilStopped()
    }

    /// The client's transport thread as a task executor, for callers that make many requests in a row.
    ///
    /// A request normally costs two thread wake-ups: the calling task hands the transfer to the transport thread,
    /// and the finished transfer resumes the task on Swift's cooperative pool. A task that prefers this executor
    /// runs on the transport thread itself, between rounds of network work, so both hand-offs disappear:
    ///
    /// ```swift
    /// try await withTaskExecutorPreference(client.executor) {
    ///     for request in requests {
    ///         let response = try await client.send(request, body: nil, options: .init())
    ///         // … quick work on the response …
    ///     }
    /// }
    /// ```
    ///
    /// - Important: Code running here shares the thread with every transfer of this client. It must not block
    ///   (no locks held for long, no blocking I/O, no heavy computation): while it runs, no socket of the client is
    ///   served. Hop elsewhere (an actor, `Task.detached`) for long work.
    ///
    /// Jobs run one at a time, in the order they were enqueued. Cancellation works as usual. Once the client is
    /// released, jobs already queued still run on the transport thread before it stops, and jobs enqueued later
    /// run on Swift's global concurrent executor: no task is ever stranded.
    public var executor: any TaskExecutor { loop }

    /// How many connections the client has opened so far; a reused connection is not counted again.
    public var connectionsOpened: Int { loop.connectionsOpened }

    // MARK: - Buffered exchanges

    /// Sends `request` with an in-memory body and buffers the answer (see ``HTTPTransport``). Without a body,
    /// POST, PUT and PATCH send `Content-Length: 0`.
    public func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse {
        let requestBody: HTTPRequestBody = switch (body, request.method) {
        case (let bytes?, _): .bytes(bytes)
        case (nil, .post), (nil, .put), (nil, .patch): .bytes([])
        case (nil, _): .empty
        }
        return try await send(request, body: requestBody, options: options, progress: nil)
    }

    /// Sends `request` with any kind of body and buffers the answer up to
    /// ``HTTPRequestOptions/maximumResponseBytes`` (see ``HTTPStreamingTransport``).
    public func send(
        _ request: HTTPRequest,
        body: HTTPRequestBody,
        options: HTTPRequestOptions,
        progress: HTTPProgressHandler?
    ) async throws -> HTTPBufferedResponse {
        let started = ContinuousClock.now
        do {
            let transfer = try factory.makeTransfer(
                request, body: body, options: options, responseLimit: options.maximumResponseBytes, progress: progress
            )
            let pump = startUpload(of: body, for: transfer)
            defer { pump?.cancel() }
            let response = try await withTaskCancellationHandler {
                try await withUnsafeCurlThreadContinuation { continuation in
                    transfer.sink = .collect(limit: options.maximumResponseBytes, continuation: continuation)
                    if !loop.submit(.add(transfer)) { continuation.resume(throwing: HTTPClientError.shutDown) }
                }
            } onCancel: {
                cancel(transfer)
            }
            log(request, status: response.head.status.code, since: started)
            return response
        } catch {
            log(request, error: error, since: started)
            throw error
        }
    }

    // MARK: - Streamed exchanges

    /// Sends `request` and hands the head and the streamed body to `receive`; the exchange ends with `receive`
    /// (see ``HTTPStreamingTransport``).
    public func execute<Result>(
        _ request: HTTPRequest,
        body: HTTPRequestBody,
        options: HTTPRequestOptions,
        progress: HTTPProgressHandler?,
        receive: (HTTPResponse, HTTPResponseBody) async throws -> Result
    ) async throws -> Result {
        let started = ContinuousClock.now
        let loop = loop
        do {
            let transfer = try factory.makeTransfer(
                request, body: body, options: options, responseLimit: nil, progress: progress
            )
            let handle = transfer.handleKey
            let window = options.streamingWindowBytes ?? configuration.streamingBufferBytes
            let bodyStorage = ResponseBodyStorage(
                highWatermark: max(2, window),
                lowWatermark: max(1, window / 2),
                resumeProducer: { loop.submit(.unpause(handle: handle)) }
            )
            let pump = startUpload(of: body, for: transfer)
            defer {
                pump?.cancel()
                loop.submit(.abort(transfer, .cancelled))
            }
            return try await withTaskCancellationHandler {
                let head = try await withUnsafeCurlThreadContinuation { continuation in
                    transfer.sink = .stream(head: continuation, body: bodyStorage)
                    if !loop.submit(.add(transfer)) { continuation.resume(throwing: HTTPClientError.shutDown) }
                }
                log(request, status: head.status.code, since: started)
                return try await receive(head, HTTPResponseBody(storage: bodyStorage))
            } onCancel: {
                cancel(transfer)
            }
        } catch {
            log(request, error: error, since: started)
            throw error
        }
    }

    // MARK: - Helpers

    private func cancel(_ transfer: CurlTransfer) {
        transfer.cancelRequested.store(true, ordering: .releasing)
        loop.submit(.abort(transfer, .cancelled))
    }

    /// Starts pulling a streamed request body, if there is one.
    private func startUpload(of body: HTTPRequestBody, for transfer: CurlTransfer) -> Task<Void, Never>? {
        guard case .stream(_, let pump) = body.source else { return nil }
        let loop = loop
        let handle = transfer.handleKey
        let upload = UploadStorage(resumeReader: { loop.submit(.unpause(handle: handle)) })
        transfer.upload = upload
        return Task { await pump(upload) }
    }

    private func log(_ request: HTTPRequest, status: Int? = nil, error: (any Error)? = nil, since started: ContinuousClock.Instant) {
        guard configuration.logger.logLevel <= .debug else { return }
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method.rawValue)",
            "http.host": "\(request.authority ?? "")",
            // The query is left out on purpose: SigV1 and presigned URLs carry signatures and tokens there.
            "http.path": "\(request.path.map { $0.prefix { $0 != "?" } } ?? "")",
            "duration_ms": "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)",
        ]
        if let status { metadata["http.status"] = "\(status)" }
        if let error { metadata["error"] = "\(error)" }
        configuration.logger.debug(error == nil ? "HTTP exchange" : "HTTP exchange failed", metadata: metadata)
    }
}
