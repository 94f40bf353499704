import CDevPayCurl
import NIOConcurrencyHelpers

/// Idle libcurl easy handles, kept for the next request instead of being freed.
///
/// A new handle costs a large zeroed allocation plus its receive buffer on first use; `curl_easy_reset` keeps the
/// buffers and clears every option, so a recycled handle is configured from scratch like a new one. Handles here
/// belong to no multi handle and no transfer. Their addresses are stored as integers so the pool is `Sendable`.
final class CurlHandlePool: Sendable {
    private let idle = NIOLockedValueBox<[UInt]>([])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    deinit {
        for handle in idle.withLockedValue({ $0 }) {
            curl_easy_cleanup(UnsafeMutableRawPointer(bitPattern: handle))
        }
    }

    /// An idle handle with default options, or a new one.
    func take() -> UnsafeMutableRawPointer? {
        if let handle = idle.withLockedValue({ $0.popLast() }) { return UnsafeMutableRawPointer(bitPattern: handle) }
        return curl_easy_init()
    }

    /// Takes back a handle that no transfer and no multi handle uses any more.
    func recycle(_ easy: UnsafeMutableRawPointer) {
        curl_easy_reset(easy)
        let kept = idle.withLockedValue { idle in
            guard idle.count < capacity else { return false }
            idle.append(UInt(bitPattern: easy))
            return true
        }
        if !kept { curl_easy_cleanup(easy) }
    }
}
