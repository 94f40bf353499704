import DevPayRetry
import DevPayRetryStorm
import DevPayStateMachine
import Testing

@Suite("the retry-storm simulation")
struct RetryStormSimulationTests {
    let small = RetryStormScenario(clients: 100, capacityPerSecond: 10, duration: .seconds(120))

    func run(_ strategy: RetryStormStrategy, _ scenario: RetryStormScenario, seed: UInt64 = 1) -> RetryStormResult {
        var random = SeededRandomNumberGenerator(seed: seed)
        return RetryStormSimulation.run(strategy, in: scenario, using: &random)
    }

    @Test("the same seed gives the same figures")
    func reproducible() {
        for strategy in RetryStormStrategy.allCases {
            #expect(run(strategy, small, seed: 9) == run(strategy, small, seed: 9))
        }
    }

    @Test("the books balance: every request is counted once, every success was served, none beyond capacity")
    func conservation() {
        for strategy in RetryStormStrategy.allCases {
            let result = run(strategy, small)
            #expect(result.offeredPerSecond.reduce(0, +) == result.requestsSent)
            #expect(result.servedPerSecond.reduce(0, +) >= result.successes)
            #expect(result.servedPerSecond.allSatisfy { $0 <= 10 })
            #expect(result.successes == 100, "\(strategy)")
        }
    }

    @Test("without jitter the clients move in lockstep: each round serves one capacity's worth, N + (N−C) + … requests")
    func lockstepRounds() {
        // 100 clients, 10 served per round: 100 + 90 + … + 10 = 550 requests in ten rounds.
        let result = run(.exponentialWithoutJitter, small)
        #expect(result.requestsSent == 550)
        #expect(result.maxAttemptsPerClient == 10)
    }

    @Test("a service with room for everyone sees each client once")
    func noStormNoRetries() {
        let roomy = RetryStormScenario(clients: 50, capacityPerSecond: 100, duration: .seconds(10))
        for strategy in RetryStormStrategy.allCases {
            let result = run(strategy, roomy)
            #expect(result.requestsSent == 50 && result.successes == 50)
            #expect(result.timeToAllSucceeded.map { $0 < .seconds(2) } == true)
        }
    }

    @Test("study scale: adaptive with a shared limiter keeps retries within 1.5× capacity and amplification under 3×")
    func sharedAdaptiveMeetsTheGoal() {
        let result = run(.adaptiveShared, RetryStormScenario())
        #expect(result.successes == 1_000)
        #expect(Double(result.peakOfferedAfterArrivals) <= 1.5 * 100)
        #expect(result.amplification < 3)
    }
}
