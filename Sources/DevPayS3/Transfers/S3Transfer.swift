/// Where an object lives.
public struct S3ObjectLocation: Sendable, Hashable, CustomStringConvertible {
    /// The bucket.
    public var bucket: String
    /// The key.
    public var key: String

    /// Creates a location.
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    public var description: String { "s3://\(bucket)/\(key)" }
}

/// What a finished transfer did.
public struct S3TransferResult: Sendable, Hashable {
    /// The object.
    public var location: S3ObjectLocation
    /// The local file.
    public var path: String
    /// The object's size.
    public var bytes: Int64
    /// The object's entity tag.
    public var eTag: String?
    /// Parts (or ranges); 1 for a single request.
    public var parts: Int
    /// Parts (or ranges) an interrupted earlier run had finished and this one kept.
    public var partsResumed: Int
    /// Whether the bytes were checked against the object's entity tag (MD5, or MD5 of the parts' MD5s). An
    /// object encrypted with a KMS key, or downloaded in ranges that do not match its parts, cannot be.
    public var verified: Bool
    /// Whether a partial download was thrown away because the object changed since.
    public var restartedBecauseObjectChanged: Bool
}

/// A running upload or download: its progress as an `AsyncSequence`, its outcome, and a way to cancel it.
///
/// ```swift
/// let transfer = transfers.upload(file: "/tmp/backup.tar", to: S3ObjectLocation(bucket: "b", key: "backup.tar"))
/// for await progress in transfer.progress { print(progress.bytesTransferred, "of", progress.totalBytes) }
/// let result = try await transfer.result
/// ```
///
/// Cancelling (``cancel()``, or cancelling the task awaiting ``result``) stops the parts in flight and keeps
/// what is done: the same upload or download started again resumes.
public final class S3Transfer: Sendable {
    /// Progress reports; the sequence ends when the transfer does.
    public let progress: AsyncStream<S3TransferProgress>
    private let task: Task<S3TransferResult, any Error>

    init(progress: AsyncStream<S3TransferProgress>, task: Task<S3TransferResult, any Error>) {
        self.progress = progress
        self.task = task
    }

    /// The outcome; throws what stopped the transfer (`CancellationError` once cancelled).
    public var result: S3TransferResult {
        get async throws {
            try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        }
    }

    /// Stops the transfer; what is done stays for a later resume.
    public func cancel() { task.cancel() }
}
