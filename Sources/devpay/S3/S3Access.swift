import DevPayS3

/// How one command's S3 requests are made: with explicit credentials, or through a DevPay product's
/// lifecycle gate (only while the customer is subscribed).
protocol S3Access: Sendable {
    /// Runs `operation` with a client signing with the right credentials; the gate may run it again after
    /// a refreshed token or a corrected clock.
    func run<Value: Sendable>(_ operation: @escaping @Sendable (S3Client) async throws -> Value) async throws -> Value

    /// Releases what the access holds (the lifecycle's timers).
    func close() async
}

/// Fixed credentials for any S3-compatible service.
struct ExplicitS3Access: S3Access {
    let client: S3Client

    func run<Value: Sendable>(_ operation: @escaping @Sendable (S3Client) async throws -> Value) async throws -> Value {
        try await operation(client)
    }

    func close() async {}
}
