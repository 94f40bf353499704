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
/// The thread stops when the client is released; transfers still running then fail with
/// ``HTTPClientError/cancelled``.
public final class CurlHTTPClient: HTTPStreamingTransport {
    private let loop: CurlEventLoop
    private let factory: CurlHandleFactory
    private let configuration: Configuration

    /// Starts the client's thread.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        factory = CurlHandleFactory(configuration: configuration)
        loop = CurlEventLoop(
            maximumConnectionsPerHost: max(1, configuration.maximumConnectionsPerHost),
            maximumCachedConnections: max(4, 2 * configuration.maximumConnectionsPerHost)
        )
    }

    deinit {
        loop.submit(.shutdown)
    }

    /// How many connections the client has opened so far; a reused connection is not counted again.
    public var connectionsOpened: Int { loop.connectionsOpened }

    // MARK: - Buffered exchanges

    public func send(_ request: HTTPRequest, body: [UInt8]?, options: HTTPRequestOptions) async throws -> HTTPBufferedResponse {
        let requestBody: HTTPRequestBody = switch (body, request.method) {
        case (let bytes?, _): .bytes(bytes)
        case (nil, .post), (nil, .put), (nil, .patch): .bytes([])
        case (nil, _): .empty
        }
        return try await send(request, body: requestBody, options: options, progress: nil)
    }

    public func send(
        _ request: HTTPRequest,
        body: HTTPRequestBody,
        options: HTTPRequestOptions = HTTPRequestOptions(),
        progress: HTTPProgressHandler? = nil
    ) async throws -> HTTPBufferedResponse {
        let started = ContinuousClock.now
        do {
            let transfer = try factory.makeTransfer(
                request, body: body, options: options, responseLimit: options.maximumResponseBytes, progress: progress
            )
            let pump = startUpload(of: body, for: transfer)
            defer { pump?.cancel() }
            let response = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    transfer.sink = .collect(limit: options.maximumResponseBytes, continuation: continuation)
                    if !loop.submit(.add(transfer)) { continuation.resume(throwing: HTTPClientError.cancelled) }
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

    public func execute<Result>(
        _ request: HTTPRequest,
        body: HTTPRequestBody = .empty,
        options: HTTPRequestOptions = HTTPRequestOptions(),
        progress: HTTPProgressHandler? = nil,
        receive: (HTTPResponse, HTTPResponseBody) async throws -> Result
    ) async throws -> Result {
        let started = ContinuousClock.now
        let loop = loop
        do {
            let transfer = try factory.makeTransfer(
                request, body: body, options: options, responseLimit: nil, progress: progress
            )
            let handle = transfer.handleKey
            let bodyStorage = ResponseBodyStorage(
                highWatermark: max(2, configuration.streamingBufferBytes),
                lowWatermark: max(1, configuration.streamingBufferBytes / 2),
                resumeProducer: { loop.submit(.unpause(handle: handle)) }
            )
            let pump = startUpload(of: body, for: transfer)
            defer {
                pump?.cancel()
                loop.submit(.abort(transfer, .cancelled))
            }
            return try await withTaskCancellationHandler {
                let head = try await withCheckedThrowingContinuation { continuation in
                    transfer.sink = .stream(head: continuation, body: bodyStorage)
                    if !loop.submit(.add(transfer)) { continuation.resume(throwing: HTTPClientError.cancelled) }
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
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method.rawValue)",
            "http.host": "\(request.authority ?? "")",
            "http.path": "\(request.path.map { $0.prefix { $0 != "?" } } ?? "")",
            "duration_ms": "\((ContinuousClock.now - started).components.seconds * 1000 + (ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000)",
        ]
        if let status { metadata["http.status"] = "\(status)" }
        if let error { metadata["error"] = "\(error)" }
        configuration.logger.debug(error == nil ? "HTTP exchange" : "HTTP exchange failed", metadata: metadata)
    }
}
