import DevPayRetry
import PropertyBased
import Testing

@Suite("the retry quota")
struct RetryQuotaTests {
    @Test("a retry costs 5, a retry after a timeout 10")
    func costs() {
        var quota = RetryQuota()
        #expect(quota.acquireRetry(afterTimeout: false) == 5)
        #expect(quota.available == 495)
        #expect(quota.acquireRetry(afterTimeout: true) == 10)
        #expect(quota.available == 485)
    }

    @Test("a success after a retry refunds that retry's cost; a first-try success earns 1, up to the capacity")
    func refundsAndRewards() {
        var quota = RetryQuota()
        quota.recordSuccess(lastRetryCost: nil)
        #expect(quota.available == 500)
        let cost = quota.acquireRetry(afterTimeout: true)
        quota.recordSuccess(lastRetryCost: cost)
        #expect(quota.available == 500)
        _ = quota.acquireRetry(afterTimeout: false)
        _ = quota.acquireRetry(afterTimeout: false)
        quota.recordSuccess(lastRetryCost: nil)
        #expect(quota.available == 491)
    }

    @Test("an empty quota refuses retries and takes nothing")
    func exhaustion() {
        var quota = RetryQuota(capacity: 12)
        #expect(quota.acquireRetry(afterTimeout: false) == 5)
        #expect(quota.acquireRetry(afterTimeout: true) == nil)
        #expect(quota.available == 7)
        #expect(quota.acquireRetry(afterTimeout: false) == 5)
        #expect(quota.acquireRetry(afterTimeout: false) == nil)
        #expect(quota.available == 2)
    }

    enum Step: CaseIterable { case retry, timeoutRetry, firstTrySuccess, successAfterRetry }

    @Test("under any sequence the tokens stay in [0, 500] and equal the sum of what was taken and given")
    func accounting() async {
        await propertyCheck(input: Gen<Step>.case.array(of: 0...300)) { steps in
            var quota = RetryQuota()
            var expected = 500
            var lastCost: Int?
            for step in steps {
                switch step {
                case .retry, .timeoutRetry:
                    let cost = step == .retry ? 5 : 10
                    let taken = quota.acquireRetry(afterTimeout: step == .timeoutRetry)
                    #expect(taken == (expected >= cost ? cost : nil))
                    if let taken { expected -= taken; lastCost = taken }
                case .firstTrySuccess:
                    quota.recordSuccess(lastRetryCost: nil)
                    expected = min(500, expected + 1)
                case .successAfterRetry:
                    quota.recordSuccess(lastRetryCost: lastCost)
                    expected = min(500, expected + (lastCost ?? 1))
                }
                #expect(quota.available == expected)
                #expect((0...500).contains(quota.available))
            }
        }
    }
}
