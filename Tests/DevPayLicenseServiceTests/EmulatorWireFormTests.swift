import DevPayEmulator
import DevPayHTTP
import DevPayLicenseService
import DevPayRetry
import DevPayTestSupport
import DevPayStateMachineTesting
import DevPayStateMachine
import Foundation
import Testing

/// Every wire form against the emulator over HTTPS on loopback with the real transport (libcurl, TLS
/// verified against the emulator's CA): SOAP and REST-Query activation in both API versions, SOAP faults,
/// a throttled SOAP call retried, and the set a SOAP activation gave used for a REST-Query verification.
@Suite("Wire forms against the emulator over HTTPS", .serialized, .timeLimit(.minutes(SanitizerRun.minutes(2))))
struct EmulatorWireFormTests {
    static let start = Date(timeIntervalSince1970: 1_900_000_000)

    static func client(_ emulator: EmulatorServer, form: LicenseServiceWireForm, version: LicenseServiceAPIVersion,
                       clock: ManualClock = ManualClock()) throws -> LicenseServiceClient {
        LicenseServiceClient(
            endpoint: try LicenseServiceEndpoint(emulator.baseURL.absoluteString), apiVersion: version,
            activationForm: form,
            transport: CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: emulator.caCertificateFile.path))),
            retryEngine: RetryEngine(policy: .standard, clock: clock, randomNumberGenerator: SeededRandomNumberGenerator(seed: 5)),
            secondsSince1970: { Int64(start.timeIntervalSince1970) })
    }

    @Test("activation works in every form and version, and the set verifies over REST-Query",
          arguments: LicenseServiceWireForm.allCases, LicenseServiceAPIVersion.allCases)
    func activation(_ form: LicenseServiceWireForm, _ version: LicenseServiceAPIVersion) async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(clock: .frozen(at: Self.start)))
        try await withPeer(emulator) { emulator in
            let product = try await emulator.registerProduct()
            let purchase = try await emulator.purchase(productCode: product.productCode)
            let client = try Self.client(emulator, form: form, version: version)
            let token = try ProductToken(product.productToken)
            let credentials = try await client.activateDesktopProduct(
                activationKey: ActivationKey(purchase.activationKey), productToken: token, tokenExpiration: .seconds(600))
            #expect(try await client.verifyProductSubscription(credentials: credentials, productToken: token))
        }
    }

    @Test("SOAP faults from the emulator arrive as the same typed errors as REST-Query ones")
    func faults() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(clock: .frozen(at: Self.start)))
        try await withPeer(emulator) { emulator in
            let product = try await emulator.registerProduct()
            let other = try await emulator.registerProduct()
            let purchase = try await emulator.purchase(productCode: product.productCode)
            let token = try ProductToken(product.productToken)
            let key = try ActivationKey(purchase.activationKey)
            var errors: [LicenseServiceWireForm: [LicenseServiceError]] = [:]
            for form in LicenseServiceWireForm.allCases {
                let client = try Self.client(emulator, form: form, version: .default)
                for token in [try ProductToken(other.productToken), try ProductToken(product.productToken + "x")] {
                    let error = await Self.failure(client, key, token)
                    #expect(error != nil, "\(form): a wrong product token was accepted")
                    errors[form, default: []] += [error].compactMap { $0 }
                }
            }
            try await emulator.advanceClock(by: 3601)
            for form in LicenseServiceWireForm.allCases {
                let client = try Self.client(emulator, form: form, version: .default)
                let error = await Self.failure(client, key, token)
                #expect(error != nil, "\(form): an expired key was accepted")
                errors[form, default: []] += [error].compactMap { $0 }
            }
            let soap = try #require(errors[.soap])
            let rest = try #require(errors[.restQuery])
            #expect(soap.map(\.codes) == rest.map(\.codes))
            #expect(soap.map(\.requiredAction) == rest.map(\.requiredAction))
            #expect(soap.last?.codes == [.expiredActivationKey])
            #expect(soap.allSatisfy { if case .service(let response) = $0 { response.httpStatus == 500 } else { false } })
        }
    }

    /// The error an activation ends with, or `nil` when it succeeds.
    static func failure(_ client: LicenseServiceClient, _ key: ActivationKey, _ token: ProductToken) async -> LicenseServiceError? {
        do {
            _ = try await client.activateDesktopProduct(activationKey: key, productToken: token)
            return nil
        } catch {
            return error
        }
    }

    @Test("a throttled SOAP activation (503 fault with Retry-After) is retried and succeeds")
    func throttled() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration(clock: .frozen(at: Self.start)))
        try await withPeer(emulator) { emulator in
            let product = try await emulator.registerProduct()
            let purchase = try await emulator.purchase(productCode: product.productCode)
            await emulator.setFaults(FaultPlan(target: .licenseService, script: [.serviceUnavailable(retryAfterSeconds: 2)]))
            let clock = ManualClock()
            let client = try Self.client(emulator, form: .soap, version: .v2007_06_05, clock: clock)
            let call = Task {
                try await client.activateDesktopProduct(
                    activationKey: ActivationKey(purchase.activationKey), productToken: ProductToken(product.productToken))
            }
            #expect(await clock.sleeperArrives())
            clock.advance(by: .seconds(60))
            let credentials = try await call.value
            #expect(!credentials.accessKeyID.isEmpty)
        }
    }
}
