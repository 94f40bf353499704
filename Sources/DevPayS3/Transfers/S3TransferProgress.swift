import DevPayHTTP
import NIOConcurrencyHelpers

/// How far a transfer has come.
public struct S3TransferProgress: Sendable, Hashable {
    /// Bytes of the object sent or received so far (parts an earlier run finished count as done).
    public var bytesTransferred: Int64
    /// The object's size.
    public var totalBytes: Int64
    /// Parts (or ranges) finished.
    public var partsCompleted: Int
    /// Parts (or ranges) in the whole transfer.
    public var totalParts: Int
    /// Bytes per second moved in this run, since it started (0 at first).
    public var bytesPerSecond: Double

    /// Creates a progress report.
    public init(bytesTransferred: Int64, totalBytes: Int64, partsCompleted: Int, totalParts: Int, bytesPerSecond: Double) {
        self.bytesTransferred = bytesTransferred
        self.totalBytes = totalBytes
        self.partsCompleted = partsCompleted
        self.totalParts = totalParts
        self.bytesPerSecond = bytesPerSecond
    }
}

/// Adds up the progress of the parts in flight and publishes it to the transfer's stream (newest report
/// only: a slow reader skips reports, never slows the transfer).
final class S3TransferProgressTracker: Sendable {
    private struct State {
        var done: Int64 = 0
        /// Bytes this run moved in parts already finished (the rate counts only this run's bytes).
        var movedDone: Int64 = 0
        var total: Int64 = 0
        var partsDone = 0
        var parts = 0
        var inFlight: [Int: Int64] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let continuation: AsyncStream<S3TransferProgress>.Continuation
    private let elapsed: @Sendable () -> Duration

    init(continuation: AsyncStream<S3TransferProgress>.Continuation, elapsed: @escaping @Sendable () -> Duration) {
        self.continuation = continuation
        self.elapsed = elapsed
    }

    func begin(totalBytes: Int64, totalParts: Int) {
        publish { state in
            state.total = totalBytes
            state.parts = totalParts
        }
    }

    /// A part that was already there (an earlier run's), counted as done without moving bytes.
    func reused(bytes: Int64) {
        publish { state in
            state.done += bytes
            state.partsDone += 1
        }
    }

    /// The progress handler for part `number` (called on the transport's thread).
    func handler(part number: Int) -> HTTPProgressHandler {
        { [self] progress in
            let moved = max(progress.bytesSent, progress.bytesReceived)
            publish { state in state.inFlight[number] = moved }
        }
    }

    func finished(part number: Int, bytes: Int64) {
        publish { state in
            state.inFlight[number] = nil
            state.done += bytes
            state.movedDone += bytes
            state.partsDone += 1
        }
    }

    /// A part abandoned midway (to be retried): its bytes no longer count.
    func abandoned(part number: Int) {
        publish { state in state.inFlight[number] = nil }
    }

    func end() { continuation.finish() }

    private func publish(_ change: (inout State) -> Void) {
        let seconds = elapsed().secondsAsDouble
        let report = state.withLockedValue { state in
            change(&state)
            let inFlight = state.inFlight.values.reduce(0, +)
            let moved = state.movedDone + inFlight
            return S3TransferProgress(
                bytesTransferred: min(state.total, state.done + inFlight), totalBytes: state.total,
                partsCompleted: state.partsDone, totalParts: state.parts,
                bytesPerSecond: seconds > 0 ? Double(moved) / seconds : 0)
        }
        continuation.yield(report)
    }
}

extension Duration {
    var secondsAsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
