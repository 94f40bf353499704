import CDevPayCurl
import NIOConcurrencyHelpers
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one libcurl multi handle and the thread that drives it, and lets Swift tasks run on that thread.
///
/// Everything libcurl does (connecting, TLS, reading, writing, callbacks) happens on this one thread, so Swift's
/// cooperative pool never blocks on I/O. Other threads talk to it only through ``submit(_:)``: a command goes
/// into a locked inbox and, if the thread is asleep in `curl_multi_poll`, `curl_multi_wakeup` interrupts it. One
/// multi handle means one connection cache: keep-alive connections and HTTP/2 multiplexing are shared by every
/// request.
///
/// The loop is also a `TaskExecutor` (``CurlHTTPClient/executor``): a job is one more inbox entry, run on the loop
/// thread between two rounds of libcurl work, in the order the jobs were enqueued. A task that prefers this
/// executor resumes from a finished transfer without any wake-up (the loop enqueues the job to itself) and
/// submits its next transfer without one (the thread is awake, running the task).
///
/// `@unchecked Sendable` is sound because `active` and `multi`'s transfers are touched only on the loop thread;
/// the inbox is behind a lock, and `multi` is used from other threads only for `curl_multi_wakeup` (which libcurl
/// documents as callable from any thread) and only while the inbox is open, under its lock; the loop closes the
/// inbox before it calls `curl_multi_cleanup`.
final class CurlEventLoop: TaskExecutor, @unchecked Sendable {
    enum Command {
        case add(CurlTransfer)
        /// Abort the transfer if it is still running, failing it with the error.
        case abort(CurlTransfer, HTTPClientError)
        /// Let a paused transfer continue (the consumer made room, or the upload has data).
        case unpause(handle: UInt)
        /// Run a task's job (the loop as a `TaskExecutor`).
        case run(UnownedJob)
        /// Stop the thread: running transfers fail with ``HTTPClientError/shutDown``, the connections close.
        case shutdown
    }

    private struct Inbox {
        var commands: [Command] = []
        var closed = false
        /// The loop thread is in (or about to enter) `curl_multi_poll` and has not been woken yet: the next
        /// submitter must call `curl_multi_wakeup`. Submitters while the thread is awake skip that system call.
        var sleeping = false
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = NIOLockedValueBox(Inbox())
    private let openedConnections = Atomic<Int>(0)
    /// Resumed once the thread has cleaned up and is about to end; see ``waitUntilStopped()``.
    private let stopped = ThreadEnd()
    /// Running transfers, keyed by easy handle (loop thread only).
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maximumConnectionsPerHost: Int, maximumCachedConnections: Int) {
        _ = CurlConstants.globalInitialisation
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        devpay_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CurlConstants.pipeMultiplex)
        devpay_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maximumConnectionsPerHost)
        devpay_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maximumCachedConnections)
        startThread()
    }

    /// Connections opened so far across all transfers (each reused connection counts once).
    var connectionsOpened: Int { openedConnections.load(ordering: .relaxed) }

    /// Queues a command for the loop thread and wakes it. Returns `false` once the loop is shut down.
    @discardableResult
    func submit(_ command: Command) -> Bool {
        inbox.withLockedValue { inbox in
            guard !inbox.closed else { return false }
            inbox.commands.append(command)
            if case .shutdown = command { inbox.closed = true }
            if inbox.sleeping {
                inbox.sleeping = false
                curl_multi_wakeup(multi)
            }
            return true
        }
    }

    // MARK: - TaskExecutor

    /// Runs `job` on the loop thread after the jobs and commands queued before it. Once the loop has shut down
    /// (the client was released), jobs go to Swift's global concurrent executor instead: a job is a suspended
    /// task, and dropping it would strand that task forever.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if !submit(.run(job)) {
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
        }
    }

    // MARK: - The loop thread

    private func startThread() {
        let retained = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            let loop = Unmanaged<CurlEventLoop>.fromOpaque(context!).takeRetainedValue()
            loop.run()
            return nil
        }, retained)
        precondition(result == 0, "cannot start the HTTP transport thread (errno \(result))")
        pthread_detach(thread)
    }

    private func run() {
        var running: Int32 = 0
        var stopping = false
        let executor = asUnownedTaskExecutor()
        // Swapped with the inbox's array each round, so neither is ever copied or reallocated once grown.
        var commands: [Command] = []
        while !stopping {
            inbox.withLockedValue { inbox in
                inbox.sleeping = false
                swap(&inbox.commands, &commands)
            }
            defer { commands.removeAll(keepingCapacity: true) }
            for command in commands {
                switch command {
                case .add(let transfer): add(transfer)
                case .abort(let transfer, let error): abort(transfer, error)
                case .unpause(let handle):
                    if let easy = UnsafeMutableRawPointer(bitPattern: handle), active[easy] != nil {
                        curl_easy_pause(easy, CurlConstants.pauseContinue)
                    }
                case .run(let job): job.runSynchronously(on: executor)
                case .shutdown: stopping = true
                }
            }
            if stopping { break }
            curl_multi_perform(multi, &running)
            collectFinishedTransfers()
            // Sleep only when nothing is queued; work queued from this thread (a job's next transfer, a task
            // resumed by a finished transfer) is taken in the next round without a wake-up.
            let idle = inbox.withLockedValue { inbox in
                inbox.sleeping = inbox.commands.isEmpty
                return inbox.sleeping
            }
            if idle { curl_multi_poll(multi, nil, 0, 1000, nil) }
        }
        // The inbox is closed: tasks resumed from here on are enqueued on the global concurrent executor.
        for transfer in Array(active.values) { abort(transfer, .shutDown) }
        curl_multi_cleanup(multi)
        stopped.signal()
    }

    /// Returns once the loop thread has aborted its transfers, closed its connections and ended its loop.
    func waitUntilStopped() async { await stopped.wait() }

    private func add(_ transfer: CurlTransfer) {
        if transfer.cancelRequested.load(ordering: .acquiring) {
            transfer.finish(code: CURLE_ABORTED_BY_CALLBACK, aborted: .cancelled)
            return
        }
        let code = curl_multi_add_handle(multi, transfer.easy)
        guard code == CURLM_OK else {
            transfer.finish(code: CURLE_FAILED_INIT, aborted: .transfer(String(cString: curl_multi_strerror(code))))
            return
        }
        active[transfer.easy] = transfer
    }

    private func abort(_ transfer: CurlTransfer, _ error: HTTPClientError) {
        guard active.removeValue(forKey: transfer.easy) != nil else { return }
        curl_multi_remove_handle(multi, transfer.easy)
        record(transfer)
        transfer.finish(code: CURLE_ABORTED_BY_CALLBACK, aborted: error)
    }

    private func collectFinishedTransfers() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let transfer = active.removeValue(forKey: easy) else { continue }
            curl_multi_remove_handle(multi, easy)
            record(transfer)
            transfer.finish(code: code)
        }
    }

    private func record(_ transfer: CurlTransfer) {
        openedConnections.add(transfer.connectionsOpened, ordering: .relaxed)
    }
}
