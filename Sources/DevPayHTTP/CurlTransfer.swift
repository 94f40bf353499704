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
/// handle and attaches the sink, then hands the object to ``CurlEventLoop`` through its locked inbox
/// (a happens-before edge); from then on every mutable property is read and written only on the event loop's
/// thread (libcurl invokes the callbacks there, inside `curl_multi_perform` or `curl_easy_pause`). Other threads
/// touch only `cancelRequested` (an `Atomic`) and the immutable `let`s. `deinit` runs after the last reference is
/// gone, when no thread can be using the handle.
final class CurlTransfer: @unchecked Sendable {
    /// Where the response goes.
    ///
    /// The continuations are unsafe ones (a checked one costs an allocation per request): each is resumed exactly
    /// once because `completeHead` and `finish` take it out of the sink before resuming it, `finish` runs once
    /// (`finished`), and the client resumes it itself only when the loop refused the transfer and so never sees it.
    enum Sink {
        /// Not yet attached (the creating task attaches one before handing the transfer to the loop).
        case unattached
        /// Buffer the whole body up to `limit` bytes and resume `continuation` at the end.
        case collect(limit: Int, continuation: UnsafeContinuation<HTTPBufferedResponse, any Error>?)
        /// Resume `head` once the head is complete, then feed `body` with backpressure.
        case stream(head: UnsafeContinuation<HTTPResponse, any Error>?, body: ResponseBodyStorage)
    }

    let easy: UnsafeMutableRawPointer
    /// Where the handle goes back when the transfer is gone.
    private let handles: CurlHandlePool
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
    private var headerList: CurlHeaderList?
    private var uploadFile: UnsafeMutablePointer<FILE>?
    /// Bytes of `uploadFile` still to send: the read callback never reads past a range's end.
    private var uploadFileRemaining: Int64 = 0
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var status: Int?
    private var fields = HTTPFields()
    private var head: HTTPResponse?
    private var body: [UInt8] = []
    private var exceededLimit = false
    private var finished = false

    init(easy: UnsafeMutableRawPointer, handles: CurlHandlePool, authority: String, progress: HTTPProgressHandler?) {
        self.easy = easy
        self.handles = handles
        self.authority = authority
        self.sink = .unattached
        self.progress = progress
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        handles.recycle(easy)
        headerList?.free()
        if let uploadFile { fclose(uploadFile) }
        errorBuffer.deallocate()
    }

    /// Points libcurl's callbacks at this object. The event loop's table keeps it alive while libcurl may call.
    /// `streamsUpload`: the body comes from an ``UploadStorage`` that the client attaches to `upload` before
    /// handing the transfer to the loop.
    func installCallbacks(
        headers: CurlHeaderList, uploadFile: (UnsafeMutablePointer<FILE>, length: Int64)?, streamsUpload: Bool
    ) throws(HTTPClientError) {
        headerList = headers
        self.uploadFile = uploadFile?.0
        uploadFileRemaining = uploadFile?.length ?? 0
        let context = Unmanaged.passUnretained(self).toOpaque()
        try CurlOption.check(devpay_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers.head), CURLOPT_HTTPHEADER)
        try CurlOption.check(devpay_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), CURLOPT_ERRORBUFFER)
        try setCallback(CURLOPT_HEADERFUNCTION, curlHeaderCallback, data: CURLOPT_HEADERDATA, context)
        try setCallback(CURLOPT_WRITEFUNCTION, curlWriteCallback, data: CURLOPT_WRITEDATA, context)
        // A file body goes through our read callback too, so that a range stops at its end.
        if uploadFile != nil || streamsUpload {
            try setCallback(CURLOPT_READFUNCTION, curlReadCallback, data: CURLOPT_READDATA, context)
        }
        if progress != nil {
            try CurlOption.long(CURLOPT_NOPROGRESS, 0).apply(to: easy)
            try CurlOption.check(devpay_curl_easy_setopt_progress_callback(easy, curlProgressCallback),
                                 CURLOPT_XFERINFOFUNCTION)
            try CurlOption.check(devpay_curl_easy_setopt_pointer(easy, CURLOPT_XFERINFODATA, context), CURLOPT_XFERINFODATA)
        }
    }

    private func setCallback(
        _ option: CURLoption, _ callback: devpay_curl_data_callback, data: CURLoption, _ context: UnsafeMutableRawPointer
    ) throws(HTTPClientError) {
        try CurlOption.check(devpay_curl_easy_setopt_data_callback(easy, option, callback), option)
        try CurlOption.check(devpay_curl_easy_setopt_pointer(easy, data, context), data)
    }

    /// New connections this transfer opened (0 when it reused one).
    var connectionsOpened: Int {
        var count = 0
        devpay_curl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &count)
        return count
    }

    // MARK: - Callbacks (event loop thread)

    /// One line of the head as libcurl delivers it (terminator included). Parsed from the bytes: a `String` per
    /// line would be an allocation per header field.
    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        guard head == nil else { return }  // trailers after the body: ignored
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\n") || line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let text = UnsafeRawBufferPointer(rebasing: line[..<end])
        if text.isEmpty {
            guard let code = status else { return }
            if (100..<200).contains(code) && code != 101 {
                status = nil  // an interim answer (100 Continue): the real head follows
                return
            }
            completeHead(code: code)
        } else if text.starts(with: "HTTP/".utf8) {
            status = Self.statusCode(inStatusLine: text)
            fields = HTTPFields()
            fields.reserveCapacity(16)
        } else if let colon = text.firstIndex(of: UInt8(ascii: ":")),
                  let name = CommonFieldNames.name(spelt: UnsafeRawBufferPointer(rebasing: text[..<colon]))
                      ?? HTTPField.Name(String(decoding: text[..<colon], as: UTF8.self)) {
            var start = colon + 1
            while start < end, text[start] == UInt8(ascii: " ") || text[start] == UInt8(ascii: "\t") { start += 1 }
            fields.append(HTTPField(name: name, value: UnsafeRawBufferPointer(rebasing: text[start...])))
        }
    }

    /// The three-digit code after the first space of `HTTP/1.1 200 OK` or `HTTP/2 200`.
    private static func statusCode(inStatusLine line: UnsafeRawBufferPointer) -> Int? {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        var code = 0
        var digits = 0
        for byte in line[(space + 1)...] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits == 3 ? code : nil
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
        guard let uploadFile else { return upload?.read(into: buffer) ?? CurlConstants.readAbort }
        let wanted = Int(min(Int64(buffer.count), uploadFileRemaining))
        guard wanted > 0 else { return 0 }
        let read = fread(buffer.baseAddress, 1, wanted, uploadFile)
        guard read > 0 else { return CurlConstants.readAbort }  // the file shrank under us: fail, never send short
        uploadFileRemaining -= Int64(read)
        return read
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

    /// libcurl's text for the failure, and the certificate verdict or `errno` when they say more.
    private func failureDetail(_ code: CURLcode) -> CurlFailureDetail {
        var detail = CurlFailureDetail(text: String(cString: errorBuffer), host: authority)
        if code == CURLE_PEER_FAILED_VERIFICATION {
            var result = 0
            devpay_curl_easy_getinfo_long(easy, CURLINFO_SSL_VERIFYRESULT, &result)
            detail.verifyResult = result
        } else if code == CURLE_COULDNT_CONNECT {
            var osErrno = 0
            devpay_curl_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osErrno)
            detail.osErrno = Int32(truncatingIfNeeded: osErrno)
        }
        return detail
    }

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
            let error = HTTPClientError.from(curlCode: code, detail: failureDetail(code))
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
