/// What one strategy did in a retry-storm study.
public struct RetryStormResult: Sendable, Hashable {
    /// The strategy simulated.
    public let strategy: RetryStormStrategy
    /// The scenario it ran in.
    public let scenario: RetryStormScenario
    /// Every request that reached the service, first attempts and retries.
    public let requestsSent: Int
    /// The clients that got their success within the run.
    public let successes: Int
    /// When 99 % of the clients had succeeded, `nil` if they never did.
    public let timeTo99PercentSuccess: Duration?
    /// When the last client succeeded, `nil` if some never did.
    public let timeToAllSucceeded: Duration?
    /// Requests that reached the service in each second of the run.
    public let offeredPerSecond: [Int]
    /// Requests the service served (200) in each second of the run.
    public let servedPerSecond: [Int]
    /// The most attempts one client made.
    public let maxAttemptsPerClient: Int

    /// Requests sent per request needed (one per client).
    public var amplification: Double {
        Double(requestsSent) / Double(scenario.clients)
    }

    /// The busiest second of the run.
    public var peakOfferedPerSecond: Int {
        offeredPerSecond.max() ?? 0
    }

    /// The busiest second after the clients' arrival window: the load retries cause, which is what a retry
    /// policy controls (no client has seen a 503 before its first attempt).
    public var peakOfferedAfterArrivals: Int {
        let firstSecondAfterArrivals = Int((scenario.arrivalWindow.components.seconds))
            + (scenario.arrivalWindow.components.attoseconds > 0 ? 1 : 0)
        return offeredPerSecond.dropFirst(firstSecondAfterArrivals).max() ?? 0
    }
}
