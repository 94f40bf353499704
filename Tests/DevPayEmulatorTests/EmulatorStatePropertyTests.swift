@testable import DevPayEmulator
import DevPayStateMachine
import Foundation
import PropertyBased
import Testing

/// The time rules, checked over many instants rather than a few hand-picked ones.
@Suite("emulator state properties")
struct EmulatorStatePropertyTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func purchased(_ scenario: SubscriptionScenario = .subscribed, seed: UInt64 = 9)
        throws -> (EmulatorState, CredentialFactory<DevPayStateMachine.SeededRandomNumberGenerator>, EmulatorProduct, IssuedActivationKey)
    {
        var state = EmulatorState(clock: .frozen(at: start))
        var factory = CredentialFactory(generator: DevPayStateMachine.SeededRandomNumberGenerator(seed: seed))
        let product = try state.registerProduct(code: nil, token: nil, factory: &factory)
        let key = try state.purchase(productCode: product.productCode, customerID: nil, scenario: scenario, now: start,
                                     factory: &factory)
        return (state, factory, product, key)
    }

    @Test("a key activates exactly while it is younger than one hour")
    func keyLifetime() async throws {
        await propertyCheck(input: Gen.int(in: 0...7200)) { age in
            guard let fixture = try? purchased() else { Issue.record("set-up failed"); return }
            var (state, factory) = (fixture.0, fixture.1)
            let (product, key) = (fixture.2, fixture.3)
            let now = start.addingTimeInterval(TimeInterval(age))
            do {
                _ = try state.activate(activationKey: key.activationKey, productToken: product.productToken,
                                       tokenLifetime: nil, now: now, factory: &factory)
                #expect(age < 3600, "activated at age \(age)")
            } catch let fault as LicenseServiceFault {
                #expect(age >= 3600 && fault == .expiredActivationKey(), "age \(age): \(fault.code)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("card vetting subscribes exactly at purchase + delay")
    func vetting() async throws {
        await propertyCheck(input: Gen.int(in: 0...3600), Gen.int(in: 0...7200)) { delay, elapsed in
            guard let (state, _, product, key) = try? purchased(.subscribedAfter(seconds: delay)) else {
                Issue.record("set-up failed")
                return
            }
            let status = state.subscriptionStatus(customerID: key.customerID, productCode: product.productCode,
                                                  at: start.addingTimeInterval(TimeInterval(elapsed)))
            #expect(status == (elapsed >= delay ? .subscribed : .pending), "delay \(delay), elapsed \(elapsed)")
        }
    }

    @Test("a user token is valid exactly before TokenExpiration; every device's set stays valid")
    func tokenLifetimeAndDevices() async throws {
        await propertyCheck(input: Gen.int(in: 1...10_000), Gen.int(in: 0...20_000), Gen.int(in: 1...6)) {
            lifetime, elapsed, devices in
            guard let fixture = try? purchased() else { Issue.record("set-up failed"); return }
            var (state, factory) = (fixture.0, fixture.1)
            let (product, key) = (fixture.2, fixture.3)
            var sets: [CredentialSetRecord] = []
            for _ in 0..<devices {
                guard let set = try? state.activate(activationKey: key.activationKey, productToken: product.productToken,
                                                    tokenLifetime: lifetime, now: start, factory: &factory)
                else { Issue.record("activation failed"); return }
                sets.append(set)
            }
            #expect(Set(sets.map(\.accessKeyID)).count == devices)
            let now = start.addingTimeInterval(TimeInterval(elapsed))
            for set in sets {
                let valid = (try? state.credentialSet(userToken: set.userToken, productToken: product.productToken,
                                                      now: now)) != nil
                #expect(valid == (elapsed < lifetime), "lifetime \(lifetime), elapsed \(elapsed)")
            }
        }
    }

    @Test("a fault script is answered entry by entry, in order, then the rates take over")
    func faultScriptOrder() async throws {
        let faults = Gen.oneOf(
            Gen.always(FaultPlan.Fault.pass), Gen.always(.dropConnection),
            Gen.int(in: 0...60).map { FaultPlan.Fault.serviceUnavailable(retryAfterSeconds: $0) },
            Gen.int(in: 0...500).map { FaultPlan.Fault.delay(milliseconds: $0) })
        await propertyCheck(input: faults.array(of: 0...12)) { script in
            var plan = FaultPlan(target: .s3, script: script, unavailableRate: 0, latencyMilliseconds: 5)
            var generator = DevPayStateMachine.SeededRandomNumberGenerator(seed: 1)
            for fault in script {
                let decision = plan.decide(for: .s3, using: &generator)
                switch fault {
                case .pass: #expect(decision == FaultDecision(delayMilliseconds: 5, outcome: .answer))
                case .dropConnection: #expect(decision.outcome == .drop)
                case .serviceUnavailable(let seconds): #expect(decision.outcome == .unavailable(retryAfterSeconds: seconds))
                case .delay(let milliseconds):
                    #expect(decision == FaultDecision(delayMilliseconds: 5 + milliseconds, outcome: .answer))
                }
            }
            #expect(plan.script.isEmpty)
            #expect(plan.decide(for: .s3, using: &generator) == FaultDecision(delayMilliseconds: 5, outcome: .answer))
        }
    }
}
