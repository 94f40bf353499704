import DevPayKit
import DevPayS3

/// DevPay mode: S3 through the product's lifecycle gate (nothing sent unless subscribed; S3's answers go back
/// to the lifecycle).
extension DevPayS3Client: S3Access {
    func run<Value: Sendable>(_ operation: @escaping @Sendable (S3Client) async throws -> Value) async throws -> Value {
        try await perform(operation)
    }

    func close() async {
        await lifecycle.shutDown()
    }
}
