/// The client-side rate limiter of the AWS SDKs' adaptive retry mode, as a pure value.
///
/// It stays off until the first throttling answer. From then on every attempt takes a token from a bucket
/// that fills at the allowed rate; a throttle cuts the allowed rate CUBIC-style to `β` times the rate in use,
/// other answers let it grow back along the cubic curve, and it never exceeds twice the measured send rate.
/// Times are offsets on the engine's clock.
public struct AdaptiveRateLimiter: Sendable, Hashable {
    /// The limiter's constants; the defaults are the AWS SDKs' values.
    public struct Configuration: Sendable, Hashable {
        /// The CUBIC multiplicative decrease on a throttle.
        public var beta: Double
        /// The CUBIC scaling constant `C`.
        public var scale: Double
        /// The slowest the bucket ever fills, in requests per second.
        public var minimumRate: Double
        /// The weight of the newest bucket in the measured send rate.
        public var smoothing: Double
        /// The length of one measurement bucket.
        public var measurementBucket: Duration
        /// How far above the measured send rate the allowed rate may go.
        public var maxRateOverMeasured: Double

        /// Creates a configuration; every default is the AWS SDKs' value.
        public init(
            beta: Double = 0.7,
            scale: Double = 0.4,
            minimumRate: Double = 0.5,
            smoothing: Double = 0.8,
            measurementBucket: Duration = .milliseconds(500),
            maxRateOverMeasured: Double = 2
        ) {
            self.beta = beta
            self.scale = scale
            self.minimumRate = minimumRate
            self.smoothing = smoothing
            self.measurementBucket = measurementBucket
            self.maxRateOverMeasured = maxRateOverMeasured
        }
    }

    /// The constants in use.
    public let configuration: Configuration
    /// Whether a throttle has switched pacing on.
    public private(set) var isEnabled = false
    private var cubic: CubicRateCalculator
    private var meter: SendRateMeter
    private var bucket: SendTokenBucket

    /// Creates a limiter, off, with its clock at `start`.
    public init(configuration: Configuration = Configuration(), start: Duration = .zero) {
        self.configuration = configuration
        let time = start.secondsValue
        cubic = CubicRateCalculator(beta: configuration.beta, scale: configuration.scale, startTime: time)
        meter = SendRateMeter(
            smoothing: configuration.smoothing,
            bucketLength: configuration.measurementBucket.secondsValue,
            startTime: time
        )
        bucket = SendTokenBucket(maxRate: 0, minimumRate: configuration.minimumRate, at: time)
    }

    /// The rate the bucket fills at, in requests per second.
    public var allowedRate: Double { bucket.fillRate }
    /// The smoothed rate of responses, in requests per second.
    public var measuredRate: Double { meter.measuredRate }

    /// Asks to send one attempt at `now`: `.zero` means go (a token was taken); otherwise wait that long and
    /// ask again.
    public mutating func acquireToken(at now: Duration) -> Duration {
        guard isEnabled else { return .zero }
        let wait = bucket.acquire(at: now.secondsValue)
        guard wait > 0 else { return .zero }
        // Round up so that after the wait the token is there, not a rounding error short of it.
        return .nanoseconds(max(Int64((wait * 1e9).rounded(.up)), 1))
    }

    /// Books the answer to an attempt, received at `now`.
    public mutating func recordResponse(throttled: Bool, at now: Duration) {
        let time = now.secondsValue
        let measured = meter.record(at: time)
        let newRate: Double
        if throttled {
            let rateInUse = isEnabled ? min(measured, bucket.fillRate) : measured
            newRate = cubic.rateAfterThrottle(currentRate: rateInUse, at: time)
            isEnabled = true
        } else {
            newRate = cubic.rateAfterSuccess(at: time)
        }
        bucket.setMaxRate(min(newRate, configuration.maxRateOverMeasured * measured), at: time)
    }
}
