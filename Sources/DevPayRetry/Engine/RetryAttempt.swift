/// What the engine tells the operation about the attempt it is making.
public struct RetryAttempt: Sendable, Hashable {
    /// 1 for the first attempt, 2 for the first retry, and so on.
    public let number: Int
    /// The time left until the caller's deadline, `nil` without one; pass it on as the request's timeout.
    public let timeRemaining: Duration?

    /// Creates the description of an attempt.
    public init(number: Int, timeRemaining: Duration?) {
        self.number = number
        self.timeRemaining = timeRemaining
    }
}
