/// The AWS SDKs' retry quota: a bucket of tokens that retries spend and successes earn back, shared by all
/// operations of one client so that a failing service is not hammered by every request's retries at once.
///
/// A pure value: the engine keeps one behind a lock.
public struct RetryQuota: Sendable, Hashable {
    /// The most tokens the bucket holds (and holds at first).
    public let capacity: Int
    /// What a retry costs.
    public let retryCost: Int
    /// What a retry after a timeout costs.
    public let timeoutRetryCost: Int
    /// What a success without retry earns.
    public let successReward: Int
    /// The tokens left.
    public private(set) var available: Int

    /// Creates a full quota; every default is the AWS SDKs' value.
    public init(capacity: Int = 500, retryCost: Int = 5, timeoutRetryCost: Int = 10, successReward: Int = 1) {
        self.capacity = capacity
        self.retryCost = retryCost
        self.timeoutRetryCost = timeoutRetryCost
        self.successReward = successReward
        self.available = capacity
    }

    /// Takes the price of one retry; returns what was taken, or `nil` (taking nothing) when too few are left.
    public mutating func acquireRetry(afterTimeout: Bool) -> Int? {
        let cost = afterTimeout ? timeoutRetryCost : retryCost
        guard available >= cost else { return nil }
        available -= cost
        return cost
    }

    /// Books a successful operation: refunds what its last retry took, or earns the success reward when it
    /// needed no retry.
    /// - Parameter lastRetryCost: what ``acquireRetry(afterTimeout:)`` returned for this operation's last
    ///   retry, `nil` when it succeeded at the first attempt.
    public mutating func recordSuccess(lastRetryCost: Int?) {
        available = min(capacity, available + (lastRetryCost ?? successReward))
    }
}
