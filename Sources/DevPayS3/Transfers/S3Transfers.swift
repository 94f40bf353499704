import Foundation

/// Files up to and down from S3 as a desktop product needs them: one request for small objects; for large
/// ones, parts (uploads) or ranges (downloads) in parallel, each checked against its MD5, each retried by the
/// client's retry engine, and resumable after a crash or a cancel from a small manifest per transfer.
///
/// ```swift
/// let transfers = S3Transfers(client: client)
/// let upload = transfers.upload(file: "/Users/me/video.mov", to: S3ObjectLocation(bucket: "b", key: "video.mov"))
/// for await progress in upload.progress { show(progress) }
/// _ = try await upload.result
/// ```
///
/// Through the DevPay gate, run a transfer inside `DevPayS3Client.perform`: the gate may run it again after a
/// refreshed token, and the second run resumes where the first stopped.
///
/// Memory stays bounded whatever the object's size: see ``S3TransferOptions``.
public struct S3Transfers: Sendable {
    /// The client every request goes through (its retry engine retries each part).
    public let client: S3Client
    /// Thresholds, part size and parallelism.
    public let options: S3TransferOptions
    let manifests: S3TransferManifestStore
    private let stopwatch: @Sendable () -> @Sendable () -> Duration

    /// Creates a transfer service.
    /// - Parameters:
    ///   - manifestFolder: where resumable transfers keep their manifests (created 0700); by default
    ///     `$XDG_STATE_HOME/devpay/transfers` (or `~/.local/state/devpay/transfers`).
    ///   - clock: measures the transfer rate.
    public init<C: Clock>(
        client: S3Client,
        options: S3TransferOptions = S3TransferOptions(),
        manifestFolder: String? = nil,
        clock: C = ContinuousClock()
    ) where C.Duration == Duration {
        // Parallel streams share an 8 MiB window budget (1 MiB each up to 8 in flight, 512 KiB at 16).
        var requestOptions = client.configuration.requestOptions
        requestOptions.streamingWindowBytes = min(
            requestOptions.streamingWindowBytes ?? (1 << 20), max(256 << 10, (8 << 20) / options.maximumPartsInFlight))
        self.client = client.with(requestOptions: requestOptions)
        self.options = options
        manifests = S3TransferManifestStore(folder: manifestFolder ?? S3TransferManifestStore.defaultFolder())
        stopwatch = {
            let start = clock.now
            return { start.duration(to: clock.now) }
        }
    }

    /// Uploads the regular file at `path` as `location`: one `PUT` up to ``S3TransferOptions/multipartThreshold``,
    /// a multipart upload above it (resumed if an earlier run was interrupted).
    public func upload(file path: String, to location: S3ObjectLocation, contentType: String? = nil) -> S3Transfer {
        start { tracker in try await runUpload(file: path, to: location, contentType: contentType, tracker: tracker) }
    }

    /// Downloads `location` into a file at `path`, which appears (mode 0600) only once complete and checked;
    /// large objects come in parallel ranges, and an interrupted download resumes unless the object changed.
    public func download(_ location: S3ObjectLocation, to path: String) -> S3Transfer {
        start { tracker in try await runDownload(location, to: path, tracker: tracker) }
    }

    private func start(_ work: @escaping @Sendable (S3TransferProgressTracker) async throws -> S3TransferResult) -> S3Transfer {
        let (stream, continuation) = AsyncStream.makeStream(of: S3TransferProgress.self, bufferingPolicy: .bufferingNewest(1))
        let tracker = S3TransferProgressTracker(continuation: continuation, elapsed: stopwatch())
        let task = Task {
            defer { tracker.end() }
            return try await work(tracker)
        }
        return S3Transfer(progress: stream, task: task)
    }
}
