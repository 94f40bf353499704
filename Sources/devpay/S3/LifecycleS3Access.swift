import DevPayHTTP
import DevPayKit
import DevPayS3
import Foundation

/// S3 through a DevPay product's lifecycle: nothing is sent unless the customer is subscribed, each attempt
/// is signed with the customer's current set and both tokens, and S3's error answers go back to the
/// lifecycle (reactivate, refresh, clock correction, subscription check).
struct LifecycleS3Access<C: Clock>: S3Access where C.Duration == Duration {
    let lifecycle: DevPayLifecycle<C>
    let configuration: S3Client.Configuration
    let transport: any HTTPStreamingTransport

    func run<Value: Sendable>(_ operation: @escaping @Sendable (S3Client) async throws -> Value) async throws -> Value {
        let configuration = configuration
        let transport = transport
        return try await lifecycle.withS3Credentials { credentials in
            var signed = configuration
            signed.currentTime = { Int64(credentials.signingDate(now: Date()).timeIntervalSince1970) }
            let client = S3Client(configuration: signed, transport: transport, credentials: credentials.signing)
            do {
                return try await operation(client)
            } catch let error as S3ServiceError {
                throw S3ErrorAnswer(code: error.code, status: error.status, serverTime: error.serverTime.flatMap { ISO8601DateFormatter().date(from: $0) })
            }
        }
    }

    func close() async {
        await lifecycle.shutDown()
    }
}
