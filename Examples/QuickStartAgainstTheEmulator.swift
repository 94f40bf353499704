// example: embed-emulator
import DevPayCredentialStore
import DevPayEmulator
import DevPayEmulatorTesting
import DevPayHTTP
import DevPayLicenseService
import Foundation
import Testing

@Test("the README's quick start, end to end against the embedded emulator")
func quickStartAgainstTheEmulator() async throws {
    let emulator = try await EmulatorServer.start()            // HTTPS on 127.0.0.1 with a throwaway CA
    let sale = try await emulator.sell()                       // a product, a purchase and its activation key
    let clients = try sale.clients                             // its endpoints, trusting only its CA
    let transport = CurlHTTPClient(configuration: clients.transport)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    let bytes = try await quickStart(
        productToken: try ProductToken(sale.productToken), activationKey: sale.activationKey,
        storeLocation: CredentialStoreLocation(path: folder.path),
        licenseService: clients.licenseService, s3Endpoint: clients.s3, transport: transport)
    #expect(bytes == Array("hi".utf8))
    await transport.shutdown()                                 // closes its connections at once
    await emulator.stop()                                      // well under a second
    try FileManager.default.removeItem(at: folder)
}
// example end
