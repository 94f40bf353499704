import CDevPayCurl

/// libcurl's magic return values and flags, typed for Swift (the shim turns the macros into constants).
enum CurlConstants {
    static let writePause = Int(devpay_curl_writefunc_pause)
    static let readPause = Int(devpay_curl_readfunc_pause)
    static let readAbort = Int(devpay_curl_readfunc_abort)
    static let pauseContinue = Int32(devpay_curlpause_cont)
    static let pipeMultiplex = devpay_curlpipe_multiplex

    /// `curl_global_init` must run once before any other call and is not thread-safe in libcurl 7.x; a global
    /// `let` is initialised exactly once, under a lock, on first use.
    static let globalInitialisation: CURLcode = devpay_curl_global_init()
}

extension Duration {
    /// Whole milliseconds, at least 1 (libcurl reads 0 as "no timeout").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else { return Int.max }
        return max(1, Int(milliseconds.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}
