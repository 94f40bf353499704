import DevPayEmulator
import DevPayHTTP
import DevPayKit
import DevPayLicenseService
import DevPayRetry
import Foundation
import Testing

/// 200 lifecycles activate at once while the emulator answers 503 to 90% of License Service requests.
///
/// The storm lasts `DEVPAY_STORM_SECONDS` (10 s by default, so CI stays short; the figure is 60 s:
/// `DEVPAY_STORM_SECONDS=60 swift test --filter ThrottleStorm`). Each app keeps trying while the service
/// says "retry later"; once the storm ends, every one must activate, no call may overrun its deadline, and no
/// client may retry beyond its retry quota.
@Suite("Throttle storm", .serialized)
struct ThrottleStormTests {
    static let lifecycles = Int(ProcessInfo.processInfo.environment["DEVPAY_STORM_LIFECYCLES"] ?? "") ?? 200
    static let stormSeconds = Int(ProcessInfo.processInfo.environment["DEVPAY_STORM_SECONDS"] ?? "") ?? 10
    static let callTimeout = Duration.seconds(20)
    /// After the storm, how long the last app may take to get through.
    static let grace = Duration.seconds(90)

    struct Report: Sendable {
        var activated = false
        var calls = 0
        var slowestCall = Duration.zero
        var failures: [String] = []
    }

    @Test("200 concurrent lifecycles through a 90% 503 storm all activate, within quota and deadline")
    func storm() async throws {
        let emulator = try await EmulatorServer.start(EmulatorConfiguration())
        defer { Task { await emulator.stop() } }
        let product = try await emulator.registerProduct()
        var keys: [String] = []
        for _ in 0..<Self.lifecycles {
            keys.append(try await emulator.purchase(productCode: product.productCode).activationKey)
        }
        let shared = CurlHTTPClient(configuration: .init(
            trustRoots: .caFile(path: emulator.caCertificateFile.path), maximumConnectionsPerHost: 64))
        let endpoint = try LicenseServiceEndpoint(emulator.baseURL.absoluteString)

        await emulator.setFaults(FaultPlan(target: .licenseService, unavailableRate: 0.9))
        let stormEnds = ContinuousClock.now + .seconds(Self.stormSeconds)
        let giveUpAt = stormEnds + Self.grace
        Task {
            try? await Task.sleep(until: stormEnds)
            await emulator.setFaults(.none)
        }

        let productToken = try ProductToken(product.productToken)
        let results = await withTaskGroup(of: Outcome.self) { group in
            for key in keys {
                group.addTask {
                    let transport = CountingTransport(shared)
                    let retry = RetryEngine(policy: .standard)
                    let client = DevPayLicenseService.LicenseServiceClient(
                        endpoint: endpoint, transport: transport, retryEngine: retry, callTimeout: Self.callTimeout)
                    let store = MemoryCredentialStore()
                    let lifecycle = await DevPayLifecycle(configuration: LifecycleConfiguration(
                        productToken: productToken, licenseService: LicenseServiceAdapter(client: client),
                        store: store, clock: ContinuousClock()))
                    await waitUntilRestored(lifecycle)
                    var report = await Self.activateUntilDone(lifecycle, key: key, giveUpAt: giveUpAt)
                    let stored = await store.current != nil
                    report.activated = report.activated && stored
                    await lifecycle.shutDown()
                    return Outcome(report: report, requests: transport.requests,
                                   activationRequests: transport.activationRequests,
                                   quotaLeft: retry.retryQuotaAvailable ?? 0)
                }
            }
            var all: [Outcome] = []
            for await result in group { all.append(result) }
            return all
        }

        let activated = results.filter(\.report.activated).count
        let calls = results.map(\.report.calls).reduce(0, +)
        let activationRequests = results.map(\.activationRequests).reduce(0, +)
        let requests = results.map(\.requests).reduce(0, +)
        let slowest = results.map(\.report.slowestCall).max() ?? .zero
        let lowestQuota = results.map(\.quotaLeft).min() ?? 0
        print("storm: \(Self.lifecycles) lifecycles, \(Self.stormSeconds) s at 90% 503: \(activated) activated; "
              + "\(calls) activation calls, \(activationRequests) ActivateDesktopProduct requests, \(requests) requests "
              + "in all; slowest call \(slowest); lowest retry quota left \(lowestQuota)/500")
        #expect(activated == Self.lifecycles, "failures: \(results.flatMap(\.report.failures).prefix(5))")
        #expect(slowest < Self.callTimeout + .seconds(5), "a call overran its deadline")
        for outcome in results {
            // The standard policy: at most 3 attempts per call, and retries only while the quota lasts.
            #expect(outcome.activationRequests <= 3 * outcome.report.calls,
                    "\(outcome.activationRequests) requests for \(outcome.report.calls) calls")
            #expect(outcome.quotaLeft >= 0 && outcome.quotaLeft <= 500)
        }
    }

    struct Outcome: Sendable {
        let report: Report
        let requests: Int
        let activationRequests: Int
        let quotaLeft: Int
    }

    /// An app's activation screen: try, and while the service says "retry later", wait a little and try again.
    static func activateUntilDone(_ lifecycle: DevPayLifecycle<ContinuousClock>, key: String, giveUpAt: ContinuousClock.Instant)
        async -> Report {
        var report = Report()
        while ContinuousClock.now < giveUpAt {
            let start = ContinuousClock.now
            report.calls += 1
            do {
                _ = try await lifecycle.activate(key: key)
                report.slowestCall = max(report.slowestCall, ContinuousClock.now - start)
                report.activated = true
                return report
            } catch {
                report.slowestCall = max(report.slowestCall, ContinuousClock.now - start)
                guard case .licenseService(let failure) = error, case .retryLater = failure.action else {
                    report.failures.append("\(error)")
                    return report
                }
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1_000...3_000)))
            }
        }
        report.failures.append("still not activated at the give-up time")
        return report
    }
}
