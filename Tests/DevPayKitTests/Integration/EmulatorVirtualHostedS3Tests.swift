import DevPayEmulator
import DevPayHTTP
import DevPayLicenseService
import DevPayS3
import DevPaySigning
import DevPayTestSupport
import Testing

/// Virtual-hosted S3 addressing (`https://BUCKET.s3.localhost:PORT/KEY`) against the emulator over HTTPS:
/// the bucket travels in the host name, which SigV4 signs as `host` and SigV2 folds into its resource.
@Suite("S3 virtual-hosted addressing against the emulator", .serialized, .timeLimit(.minutes(2)))
struct EmulatorVirtualHostedS3Tests {
    @Test("create, put, list, get, delete an object and the bucket, with the bucket in the host",
          arguments: [S3SignatureVersion.v4, .v2])
    func roundTrip(signatureVersion: S3SignatureVersion) async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration())
        try await withPeer(emulator) { emulator in try await exercise(emulator, signatureVersion: signatureVersion) }
    }

    private func exercise(_ emulator: EmulatorServer, signatureVersion: S3SignatureVersion) async throws {
        let product = try await emulator.registerProduct()
        let purchase = try await emulator.purchase(productCode: product.productCode)
        let transport = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path)))
        let customer = try await LicenseServiceClient(
            endpoint: try LicenseServiceEndpoint(emulator.baseURL.absoluteString), transport: transport
        ).activateDesktopProduct(activationKey: purchase.activationKey, productToken: product.productToken)
        let endpoint = try S3Endpoint(url: "https://s3.localhost:\(emulator.port)", addressing: .virtualHosted)
        let s3 = S3Client(
            configuration: .init(endpoint: endpoint, signatureVersion: signatureVersion), transport: transport,
            credentials: .devPay(accessKeyID: customer.accessKeyID, secretAccessKey: customer.secretAccessKey,
                                 userToken: customer.userToken.value, productToken: product.productToken))

        let bucket = signatureVersion == .v4 ? "virtual-v4" : "virtual-v2"
        let bytes = Array("in a virtual-hosted bucket".utf8)
        try await s3.createBucket(bucket)
        try await s3.putObject(bucket: bucket, key: "admin/notes 1.txt", bytes: bytes)
        #expect(try await s3.listObjects(bucket: bucket).objects.map(\.key) == ["admin/notes 1.txt"])
        #expect(try await s3.getObject(bucket: bucket, key: "admin/notes 1.txt") == bytes)
        #expect(try await s3.listBuckets().map(\.name).contains(bucket))
        try await s3.deleteObject(bucket: bucket, key: "admin/notes 1.txt")
        try await s3.deleteBucket(bucket)
        #expect(!(try await s3.listBuckets().map(\.name).contains(bucket)))
    }
}
