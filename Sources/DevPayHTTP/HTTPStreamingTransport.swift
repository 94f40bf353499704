public import HTTPTypes

/// A transport that can also stream: request bodies from files or asynchronous sequences and response bodies
/// read chunk by chunk with backpressure. The S3 client uses it for objects of any size.
public protocol HTTPStreamingTransport: HTTPTransport {
    /// Sends `request` with `body` and returns the whole answer, buffered up to
    /// ``HTTPRequestOptions/maximumResponseBytes``. Any HTTP status is a response.
    func send(
        _ request: HTTPRequest,
        body: HTTPRequestBody,
        options: HTTPRequestOptions,
        progress: HTTPProgressHandler?
    ) async throws -> HTTPBufferedResponse

    /// Sends `request` with `body`, then calls `receive` with the response head and its body as a stream.
    ///
    /// The exchange lives exactly as long as `receive`: when it returns or throws, a transfer still running is
    /// aborted. ``HTTPRequestOptions/maximumResponseBytes`` does not apply (the body is never buffered whole);
    /// ``HTTPRequestOptions/totalTimeout`` does, so set it for the size of the object.
    func execute<Result>(
        _ request: HTTPRequest,
        body: HTTPRequestBody,
        options: HTTPRequestOptions,
        progress: HTTPProgressHandler?,
        receive: (HTTPResponse, HTTPResponseBody) async throws -> Result
    ) async throws -> Result
}
