/// The token bucket that paces sends once adaptive mode is on: it fills at the allowed rate (never below the
/// minimum) and holds at most one second's worth of tokens (at least one).
struct SendTokenBucket: Sendable, Hashable {
    let minimumRate: Double
    private(set) var fillRate: Double
    private(set) var capacity: Double
    private(set) var tokens: Double = 0
    private var lastRefill: Double

    init(maxRate: Double, minimumRate: Double, at time: Double) {
        self.minimumRate = minimumRate
        fillRate = max(maxRate, minimumRate)
        capacity = max(maxRate, 1)
        lastRefill = time
    }

    /// Sets the allowed rate, after crediting the tokens earned at the old rate.
    mutating func setMaxRate(_ rate: Double, at time: Double) {
        refill(at: time)
        fillRate = max(rate, minimumRate)
        capacity = max(rate, 1)
        tokens = min(tokens, capacity)
    }

    /// Takes a token if one is there and returns zero; otherwise takes nothing and returns the seconds until
    /// one will be (the caller waits, then asks again, as the rate may have changed meanwhile).
    mutating func acquire(at time: Double) -> Double {
        refill(at: time)
        if tokens >= 1 {
            tokens -= 1
            return 0
        }
        return (1 - tokens) / fillRate
    }

    private mutating func refill(at time: Double) {
        if time > lastRefill {
            tokens = min(capacity, tokens + (time - lastRefill) * fillRate)
            lastRefill = time
        }
    }
}
