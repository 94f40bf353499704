import CDevPayCurl
import HTTPTypes
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One request in flight: a libcurl easy handle, its callbacks, and where its answer goes.
///
/// `@unchecked Sendable` is sound because of a hand-off protocol, not a lock: the creating task configures the
/// handle and attaches the sink, then hands the object to ``CurlEventLoop`` through its `Mutex`-protected inbox
/// (a happens-before edge); from then on every mutable property is read and written only on the event loop's
/// thread (libcurl invokes the callbacks there, inside `curl_multi_perform` or `curl_easy_pause`). Other threads
/// touch only `cancelRequested` (an `Atomic`) and the immutable `let`s. `deinit` runs after the last reference is
/// gone, when no thread can be using the handle.
final class CurlTransfer: @unchecked Sendable {
    /// Where the response goes.
    enum Sink {
        /// Not yet attached (the creating task attaches one before handing the transfer to the loop).
        case unattached
        /// Buffer the whole body up to `limit` bytes and resume `continuation` at the end.
        case collect(limit: Int, continuation: CheckedContinuation<HTTPBufferedResponse, any Error>?)
        /// Resume `head` once the head is complete, then feed `body` with backpressure.
        case stream(head: CheckedContinuation<HTTPResponse, any Error>?, body: ResponseBodyStorage)
    }

    let easy: UnsafeMutableRawPointer
    /// `host[:port]`, for error messages and logs.
    let authority: String
    /// Set by the cancelling task before it asks the loop to abort, so an abort that overtakes the add is honoured.
    let cancelRequested = Atomic<Bool>(false)
    /// The easy handle's address, a `Sendable` key for commands that must not keep the transfer alive (the body
    /// storages' callbacks: a strong reference there would be a cycle through `sink` and `upload`).
    var handleKey: UInt { UInt(bitPattern: easy) }

    // Loop-thread state (see the type's comment).
    var sink: Sink
    var upload: UploadStorage?
    private let progress: HTTPProgressHandler?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var uploadFile: UnsafeMutablePointer<FILE>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var status: Int?
    private var fields = HTTPFields()
    private var head: HTTPResponse?
    private var body: [UInt8] = []
    private var exceededLimit = false
    private var finished = false

    init(easy: UnsafeMutableRawPointer, authority: String, progress: HTTPProgressHandler?) {
        self.easy = easy
        self.authority = authority
        self.sink = .unattached
        self.progress = progress
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        if let uploadFile { fclose(uploadFile) }
        errorBuffer.deallocate()
    }

    /// Points libcurl's callbacks at this object. The event loop's table keeps it alive while libcurl may call.
    /// `streamsUpload`: the body comes from an ``UploadStorage`` that the client attaches to `upload` before
    /// handing the transfer to the loop.
    func installCallbacks(headers: UnsafeMutablePointer<curl_slist>?, uploadFile: UnsafeMutablePointer<FILE>?, streamsUpload: Bool) {
        headerList = headers
        self.uploadFile = uploadFile
        let context = Unmanaged.passUnretained(self).toOpaque()
        devpay_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers)
        devpay_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        devpay_curl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        devpay_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
        devpay_curl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        devpay_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        if let uploadFile {
            devpay_curl_easy_setopt_pointer(easy, CURLOPT_READDATA, uploadFile)
        } else if streamsUpload {
            devpay_curl_easy_setopt_data_callback(easy, CURLOPT_READFUNCTION, curlReadCallback)
            devpay_curl_easy_setopt_pointer(easy, CURLOPT_READDATA, context)
        }
        if progress != nil {
            devpay_curl_easy_setopt_long(easy, CURLOPT_NOPROGRESS, 0)
            devpay_curl_easy_setopt_progress_callback(easy, curlProgressCallback)
            devpay_curl_easy_setopt_pointer(easy, CURLOPT_XFERINFODATA, context)
        }
    }

    /// New connections this transfer opened (0 when it reused one).
    var connectionsOpened: Int {
        var count = 0
        devpay_curl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &count)
        return count
    }

    // MARK: - Callbacks (event loop thread)

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        guard head == nil else { return }  // trailers after the body: ignored
        var text = Substring(String(decoding: line, as: UTF8.self))
        while let last = text.last, last.isNewline { text.removeLast() }  // "\r\n" is one Character
        if text.isEmpty {
            guard let code = status else { return }
            if (100..<200).contains(code) && code != 101 {
                status = nil  // an interim answer (100 Continue): the real head follows
                return
            }
            completeHead(code: code)
        } else if text.hasPrefix("HTTP/") {
            let parts = text.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) : nil
            fields = HTTPFields()
        } else if let colon = text.firstIndex(of: ":"), let name = HTTPField.Name(String(text[..<colon])) {
            let value = text[text.index(after: colon)...].trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            fields.append(HTTPField(name: name, value: String(value)))
        }
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if head == nil, let code = status { completeHead(code: code) }
        switch sink {
        case .collect(let limit, _):
            guard body.count + bytes.count <= limit else {
                exceededLimit = true
                return 0  // libcurl fails the transfer with CURLE_WRITE_ERROR
            }
            body.append(contentsOf: bytes)
            return bytes.count
        case .stream(_, let storage):
            return storage.offer(Array(bytes)) ? bytes.count : CurlConstants.writePause
        case .unattached:
            return 0
        }
    }

    fileprivate func sendBody(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        upload?.read(into: buffer) ?? CurlConstants.readAbort
    }

    fileprivate func report(_ report: HTTPTransferProgress) {
        progress?(report)
    }

    private func completeHead(code: Int) {
        let response = HTTPResponse(status: .init(code: code), headerFields: fields)
        head = response
        if case .stream(let waiting?, let storage) = sink {
            sink = .stream(head: nil, body: storage)
            waiting.resume(returning: response)
        }
    }

    // MARK: - Completion (event loop thread)

    /// Delivers the outcome; `code` is libcurl's result, or `aborted` when the loop removed the handle itself.
    func finish(code: CURLcode, aborted: HTTPClientError? = nil) {
        guard !finished else { return }
        finished = true
        upload?.transferEnded()
        let failure: (any Error)? = {
            if let aborted { return aborted }
            if code == CURLE_OK { return head == nil ? HTTPClientError.transfer("no HTTP response head") : nil }
            if let producerError = upload?.producerError { return producerError }
            if exceededLimit, case .collect(let limit, _) = sink { return HTTPClientError.responseTooLarge(limit: limit) }
            let detail = String(cString: errorBuffer)
            let error = HTTPClientError.from(curlCode: code, detail: detail, host: authority)
            if case .responseTooLarge = error, case .collect(let limit, _) = sink {
                return HTTPClientError.responseTooLarge(limit: limit)
            }
            return error
        }()
        switch sink {
        case .collect(let limit, let continuation):
            sink = .collect(limit: limit, continuation: nil)
            if let failure {
                continuation?.resume(throwing: failure)
            } else if let head {
                continuation?.resume(returning: HTTPBufferedResponse(head: head, body: body))
            }
        case .stream(let waiting, let storage):
            sink = .stream(head: nil, body: storage)
            if let failure {
                waiting?.resume(throwing: failure)
                storage.finish(.failed(failure as? HTTPClientError ?? .transfer("request body failed")))
            } else {
                storage.finish(.complete)
            }
        case .unattached:
            break
        }
    }
}

// libcurl's C callbacks: `context` is the `CurlTransfer`, unretained (the event loop holds it).

private let curlHeaderCallback: devpay_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private let curlWriteCallback: devpay_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlReadCallback: devpay_curl_data_callback = { data, size, count, context in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    return transfer.sendBody(UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

private let curlProgressCallback: devpay_curl_progress_callback = { context, downloadTotal, downloadNow, uploadTotal, uploadNow in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    transfer.report(HTTPTransferProgress(
        bytesSent: Int64(uploadNow),
        bytesToSend: uploadTotal > 0 ? Int64(uploadTotal) : nil,
        bytesReceived: Int64(downloadNow),
        bytesToReceive: downloadTotal > 0 ? Int64(downloadTotal) : nil
    ))
    return 0
}
